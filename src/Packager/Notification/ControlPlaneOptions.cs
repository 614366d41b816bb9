using Cdn.Hosting.Configuration;

namespace Packager.Notification;

/// <summary>Where published titles are announced (configuration section <c>ControlPlane</c>). No URL: notification is skipped (and logged).</summary>
internal sealed class ControlPlaneOptions : IValidatableOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ControlPlane";

    /// <summary>Base URL of the control-plane API, e.g. <c>https://cp.example.net:8443</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Bearer token for the control plane.</summary>
    public string? Token { get; set; }

    /// <summary>File holding the token (first non-empty line), instead of <see cref="Token"/>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Timeout of one notification request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First retry delay; doubles per failure.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest delay between retries (retries go on until the control plane accepts).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>True when a control plane is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The token in force, or null.</summary>
    public string? ResolveToken()
    {
        if (!string.IsNullOrWhiteSpace(Token))
        {
            return Token.Trim();
        }

        return !string.IsNullOrEmpty(TokenFile) && File.Exists(TokenFile)
            ? File.ReadLines(TokenFile).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'))
            : null;
    }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Enabled)
        {
            errors.Require(
                Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                OptionsErrors.Path(path, nameof(Url)),
                $"'{Url}' is not an http(s) URL");
            if (!string.IsNullOrEmpty(TokenFile) && !File.Exists(TokenFile))
            {
                errors.Add(OptionsErrors.Path(path, nameof(TokenFile)), $"file '{TokenFile}' does not exist");
            }
            else
            {
                errors.Require(ResolveToken() is not null, path, "a control plane URL needs a Token or TokenFile (its API requires authentication)");
            }
        }

        errors.InRange(RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), OptionsErrors.Path(path, nameof(RequestTimeout)));
        errors.InRange(RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(RetryDelay)));
        errors.InRange(MaxRetryDelay, RetryDelay, TimeSpan.FromHours(6), OptionsErrors.Path(path, nameof(MaxRetryDelay)));
    }
}
