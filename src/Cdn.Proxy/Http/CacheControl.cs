using System.Globalization;

namespace Cdn.Proxy.Http;

/// <summary>
/// Parsed Cache-Control (RFC 9111 §5.2) or CDN-Cache-Control (RFC 9213) directives. Unknown directives are
/// ignored; a malformed delta-seconds makes the response stale (max-age/s-maxage 0), as RFC 9111 §1.2.2
/// asks; qualified no-cache="x" and private="x" are treated as their unqualified forms (the conservative
/// choice the RFC allows a shared cache).
/// </summary>
public readonly record struct CacheControl
{
    /// <summary>True when at least one directive was present.</summary>
    public bool Present { get; init; }

    /// <summary>no-store.</summary>
    public bool NoStore { get; init; }

    /// <summary>no-cache (store, but revalidate before every use).</summary>
    public bool NoCache { get; init; }

    /// <summary>private (a shared cache must not store).</summary>
    public bool Private { get; init; }

    /// <summary>public.</summary>
    public bool Public { get; init; }

    /// <summary>must-revalidate or proxy-revalidate: no stale use.</summary>
    public bool MustRevalidate { get; init; }

    /// <summary>immutable (RFC 8246).</summary>
    public bool Immutable { get; init; }

    /// <summary>max-age in seconds.</summary>
    public int? MaxAge { get; init; }

    /// <summary>s-maxage in seconds (shared caches).</summary>
    public int? SharedMaxAge { get; init; }

    /// <summary>stale-while-revalidate in seconds (RFC 5861).</summary>
    public int? StaleWhileRevalidate { get; init; }

    /// <summary>stale-if-error in seconds (RFC 5861).</summary>
    public int? StaleIfError { get; init; }

    /// <summary>Request only: only-if-cached.</summary>
    public bool OnlyIfCached { get; init; }

    /// <summary>Parses every value of the header (there may be several header lines).</summary>
    public static CacheControl Parse(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var cc = default(CacheControl);
        foreach (var value in values)
        {
            if (!string.IsNullOrEmpty(value))
            {
                cc = ParseInto(cc, value);
            }
        }

        return cc;
    }

    /// <summary>Parses one header value.</summary>
    public static CacheControl Parse(string? value) => string.IsNullOrEmpty(value) ? default : ParseInto(default, value);

    private static CacheControl ParseInto(CacheControl cc, string value)
    {
        foreach (var raw in SplitDirectives(value))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? part : part[..eq]).Trim().ToLowerInvariant();
            var arg = eq < 0 ? null : part[(eq + 1)..].Trim().Trim('"');
            cc = cc with { Present = true };
            cc = name switch
            {
                "no-store" => cc with { NoStore = true },
                "no-cache" => cc with { NoCache = true },
                "private" => cc with { Private = true },
                "public" => cc with { Public = true },
                "must-revalidate" or "proxy-revalidate" => cc with { MustRevalidate = true },
                "immutable" => cc with { Immutable = true },
                "only-if-cached" => cc with { OnlyIfCached = true },
                "max-age" => cc with { MaxAge = Seconds(arg) },
                "s-maxage" => cc with { SharedMaxAge = Seconds(arg) },
                "stale-while-revalidate" => cc with { StaleWhileRevalidate = Seconds(arg) },
                "stale-if-error" => cc with { StaleIfError = Seconds(arg) },
                _ => cc,
            };
        }

        return cc;
    }

    /// <summary>delta-seconds; malformed → 0; beyond 2^31 → int.MaxValue (RFC 9111 §1.2.2).</summary>
    private static int Seconds(string? arg)
    {
        if (arg is null || arg.Length == 0 || !arg.All(char.IsAsciiDigit))
        {
            return 0;
        }

        return long.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? (int)Math.Min(v, int.MaxValue) : int.MaxValue;
    }

    /// <summary>Splits on commas outside quoted strings.</summary>
    private static IEnumerable<string> SplitDirectives(string value)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                yield return value[start..i];
                start = i + 1;
            }
        }

        yield return value[start..];
    }
}
