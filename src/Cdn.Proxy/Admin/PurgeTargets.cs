using Cdn.Proxy.Keys;

namespace Cdn.Proxy.Admin;

/// <summary>
/// Turns a purge target into a cache key or key prefix: an absolute URL (<c>https://cdn.example/t1/seg1.m4s</c>)
/// or the key form (<c>cdn.example/t1/</c>). Normalized like requests are, so a purge hits exactly what
/// requests stored.
/// </summary>
public static class PurgeTargets
{
    /// <summary>Normalizes <paramref name="target"/>; returns false with a reason when it names nothing purgeable.</summary>
    public static bool TryNormalize(RequestTargetParser parser, string target, bool prefix, out string key, out string? error)
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(target);
        key = "";
        var text = target.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            text = text[(text.IndexOf("//", StringComparison.Ordinal) + 2)..];
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            error = "target must be a URL or host/path (the host is part of every cache key)";
            return false;
        }

        if (!parser.TryParse(text[..slash], text[slash..], out var normalized, out var parseError))
        {
            error = parseError!.Reason;
            return false;
        }

        // A prefix keeps a trailing slash the normalizer would keep anyway; URLs use the full key.
        key = prefix ? normalized.Host + normalized.Path : normalized.CacheKey;
        error = null;
        return true;
    }
}
