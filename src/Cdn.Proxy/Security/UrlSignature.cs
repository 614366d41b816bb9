using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cdn.Proxy.Keys;

namespace Cdn.Proxy.Security;

/// <summary>Outcome of checking a request's signature.</summary>
public enum SignatureCheck
{
    /// <summary>The host does not check signatures, or the signature is valid.</summary>
    Allowed,

    /// <summary>No token on a host that requires one.</summary>
    Missing,

    /// <summary>Token present but the URL has expired.</summary>
    Expired,

    /// <summary>Token does not match, or the path is outside the signed prefix.</summary>
    Invalid,
}

/// <summary>
/// HMAC-SHA256 URL signatures: <c>token = base64url(HMAC(secret, "{acl-or-path}|{expires}"))</c>, with
/// <c>expires</c> in unix seconds and an optional <c>acl</c> path prefix that the request path must start with.
/// Checked before anything is fetched; compared in constant time.
/// </summary>
public sealed class UrlSignature
{
    private readonly SignedUrlOptions _options;
    private readonly Dictionary<string, (byte[] Secret, bool Required)> _hosts;

    /// <summary>Prepares the secrets of <paramref name="options"/>.</summary>
    public UrlSignature(SignedUrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _hosts = options.Hosts.ToDictionary(p => p.Key.ToLowerInvariant(), p => (Encoding.UTF8.GetBytes(p.Value.ResolveSecret()), p.Value.Required), StringComparer.Ordinal);
    }

    /// <summary>True when no host checks signatures (the common case: skip the work).</summary>
    public bool Disabled => _hosts.Count == 0;

    /// <summary>Checks <paramref name="target"/> at unix time <paramref name="now"/>.</summary>
    public SignatureCheck Check(RequestTarget target, long now)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!_hosts.TryGetValue(target.Host, out var host))
        {
            return SignatureCheck.Allowed;
        }

        var token = target.QueryValue(_options.TokenParameter);
        var expiresText = target.QueryValue(_options.ExpiresParameter);
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(expiresText))
        {
            return host.Required ? SignatureCheck.Missing : SignatureCheck.Allowed;
        }

        if (!long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return SignatureCheck.Invalid;
        }

        var acl = target.QueryValue(_options.AclParameter);
        acl = acl is null ? null : Uri.UnescapeDataString(acl);
        if (acl is not null && !target.Path.StartsWith(acl, StringComparison.Ordinal))
        {
            return SignatureCheck.Invalid;
        }

        var expected = Compute(host.Secret, acl ?? target.Path, expires);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token), Encoding.ASCII.GetBytes(expected)))
        {
            return SignatureCheck.Invalid;
        }

        return expires < now ? SignatureCheck.Expired : SignatureCheck.Allowed;
    }

    /// <summary>The token for <paramref name="pathOrAcl"/> expiring at <paramref name="expires"/> (unix seconds).</summary>
    public static string Compute(byte[] secret, string pathOrAcl, long expires)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{pathOrAcl}|{expires.ToString(CultureInfo.InvariantCulture)}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Signs <paramref name="path"/>: returns the query string to append (<c>expires=…&amp;token=…</c>, with acl when given).</summary>
    public static string Sign(string secret, string path, long expires, string? acl = null, SignedUrlOptions? names = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        names ??= new SignedUrlOptions();
        var token = Compute(Encoding.UTF8.GetBytes(secret), acl ?? path, expires);
        var aclPart = acl is null ? "" : $"&{names.AclParameter}={Uri.EscapeDataString(acl)}";
        return $"{names.ExpiresParameter}={expires.ToString(CultureInfo.InvariantCulture)}{aclPart}&{names.TokenParameter}={token}";
    }
}
