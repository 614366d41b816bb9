using Cdn.Hosting.Configuration;

namespace Cdn.Proxy.Security;

/// <summary>Signed URLs: per host, a secret and whether unsigned requests are refused.</summary>
public sealed class SignedUrlOptions : IValidatableOptions
{
    /// <summary>Query parameter carrying the signature.</summary>
    public string TokenParameter { get; set; } = "token";

    /// <summary>Query parameter carrying the expiry (unix seconds).</summary>
    public string ExpiresParameter { get; set; } = "expires";

    /// <summary>Optional query parameter carrying a signed path prefix, so one token covers a title's playlists and segments.</summary>
    public string AclParameter { get; set; } = "acl";

    /// <summary>Hosts that check signatures, by lower-case host name.</summary>
    public Dictionary<string, SignedHostOptions> Hosts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The parameters removed from cache keys and upstream requests.</summary>
    public IEnumerable<string> Parameters => [TokenParameter, ExpiresParameter, AclParameter];

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.NotEmpty(TokenParameter, OptionsErrors.Path(path, nameof(TokenParameter)));
        errors.NotEmpty(ExpiresParameter, OptionsErrors.Path(path, nameof(ExpiresParameter)));
        errors.NotEmpty(AclParameter, OptionsErrors.Path(path, nameof(AclParameter)));
        foreach (var (host, options) in Hosts)
        {
            options.Validate(OptionsErrors.Path(path, $"{nameof(Hosts)}:{host}"), errors);
        }
    }
}

/// <summary>Signature settings of one host.</summary>
public sealed class SignedHostOptions : IValidatableOptions
{
    /// <summary>The HMAC-SHA256 secret (at least 32 characters).</summary>
    public string? Secret { get; set; }

    /// <summary>A file holding the secret instead (keeps it out of the JSON).</summary>
    public string? SecretFile { get; set; }

    /// <summary>When true (default), requests without a valid signature get 403.</summary>
    public bool Required { get; set; } = true;

    /// <summary>The secret from whichever source is set.</summary>
    public string ResolveSecret() => Secret ?? (SecretFile is not null ? File.ReadAllText(SecretFile).Trim() : "");

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (SecretFile is not null && !File.Exists(SecretFile))
        {
            errors.Add(OptionsErrors.Path(path, nameof(SecretFile)), $"file '{SecretFile}' does not exist");
            return;
        }

        var secret = ResolveSecret();
        errors.Require(secret.Length >= 32, OptionsErrors.Path(path, nameof(Secret)), "a signing secret must be at least 32 characters");
    }
}
