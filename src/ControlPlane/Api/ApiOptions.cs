using Cdn.Hosting.Configuration;
using Cdn.Hosting.Tls;

namespace Cdn.ControlPlane.Api;

/// <summary>The HTTP API listener (section <c>Api</c>).</summary>
internal sealed class ApiOptions : IValidatableOptions
{
    /// <summary>Address and port. Laptop default 127.0.0.1:8080; in production bind the management network.</summary>
    public EndpointOptions Listen { get; set; } = new() { Address = "127.0.0.1", Port = 8080 };

    /// <summary>Serve HTTPS with this certificate (reloaded on change); unset: plain HTTP (behind a TLS proxy or on loopback).</summary>
    public TlsOptions? Tls { get; set; }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Listen.Validate(OptionsErrors.Path(path, nameof(Listen)), errors);
        Tls?.Validate(OptionsErrors.Path(path, nameof(Tls)), errors);
    }
}
