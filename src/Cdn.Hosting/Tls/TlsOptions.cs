using Cdn.Hosting.Configuration;

namespace Cdn.Hosting.Tls;

/// <summary>A PEM certificate chain and its private key, reloaded when either file changes.</summary>
public sealed class TlsOptions : IValidatableOptions
{
    /// <summary>PEM file with the server certificate, then intermediates.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM file with the private key (PKCS#8, PKCS#1 or SEC1).</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>How often the files are checked for changes (file watches miss atomic symlink swaps).</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.NotEmpty(CertificatePath, OptionsErrors.Path(path, nameof(CertificatePath))) && !File.Exists(CertificatePath))
        {
            errors.Add(OptionsErrors.Path(path, nameof(CertificatePath)), $"file '{CertificatePath}' does not exist");
        }

        if (errors.NotEmpty(KeyPath, OptionsErrors.Path(path, nameof(KeyPath))) && !File.Exists(KeyPath))
        {
            errors.Add(OptionsErrors.Path(path, nameof(KeyPath)), $"file '{KeyPath}' does not exist");
        }

        errors.InRange(ReloadCheckInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(ReloadCheckInterval)));
    }
}
