using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Purge;

/// <summary>
/// How the control plane calls the nodes' admin APIs (section <c>NodeAdmin</c>): the bearer token it presents,
/// which must be one of the nodes' <c>Admin:Tokens</c>. Without one, purges are refused with a message that says so.
/// </summary>
internal sealed class NodeAdminOptions : IValidatableOptions
{
    /// <summary>The token (or use <see cref="TokenFile"/>).</summary>
    public string? Token { get; set; }

    /// <summary>File whose first non-comment line is the token, re-read per call (rotation without restart).</summary>
    public string? TokenFile { get; set; }

    /// <summary>Per call. A node that takes longer is retried later.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The token, or null when none is configured.</summary>
    public string? ResolveToken()
    {
        if (!string.IsNullOrWhiteSpace(Token))
        {
            return Token.Trim();
        }

        return Cdn.Hosting.Security.TokenFile.ReadFirst(TokenFile);
    }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrEmpty(TokenFile) && !File.Exists(TokenFile))
        {
            errors.Add(OptionsErrors.Path(path, nameof(TokenFile)), $"file '{TokenFile}' does not exist");
        }

        if (Token is { Length: > 0 } t && t.Trim().Length < 16)
        {
            errors.Add(OptionsErrors.Path(path, nameof(Token)), "a token must be at least 16 characters");
        }

        errors.InRange(RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), OptionsErrors.Path(path, nameof(RequestTimeout)));
    }
}
