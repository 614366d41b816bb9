using Cdn.Hosting.Configuration;

namespace Cdn.Proxy.Policy;

/// <summary>How responses are cached when the origin is silent, and what goes into a cache key.</summary>
public sealed class CachePolicyOptions : IValidatableOptions
{
    /// <summary>Freshness of .m3u8 playlists without explicit freshness: short, because live playlists change every segment.</summary>
    public TimeSpan PlaylistTtl { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Freshness of segments and other media (.ts .m4s .mp4 .m4a .aac .vtt .jpg) without explicit freshness: segments never change.</summary>
    public TimeSpan SegmentTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Freshness of 404/410 without explicit freshness (negative caching): short, so a title published later appears quickly.</summary>
    public TimeSpan NegativeTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Heuristic freshness as a fraction of (Date - Last-Modified) when nothing else applies (RFC 9111 §4.2.2).</summary>
    public double HeuristicFraction { get; set; } = 0.1;

    /// <summary>Upper bound of heuristic freshness.</summary>
    public TimeSpan HeuristicMax { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Cap on any freshness lifetime.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromDays(365);

    /// <summary>stale-if-error applied when the origin gives none (0: only what the origin allows).</summary>
    public TimeSpan DefaultStaleIfError { get; set; } = TimeSpan.Zero;

    /// <summary>stale-while-revalidate applied when the origin gives none.</summary>
    public TimeSpan DefaultStaleWhileRevalidate { get; set; } = TimeSpan.Zero;

    /// <summary>Whether responses carrying Set-Cookie may be stored (a shared cache must not hand one user's cookie to another).</summary>
    public bool CacheResponsesWithSetCookie { get; set; }

    /// <summary>Query parameters that are part of the cache key (sorted); all others are ignored for caching.</summary>
    public List<string> KeyQueryParameters { get; set; } = [];

    /// <summary>Whether a client's Cache-Control: no-cache / max-age=0 forces revalidation (CDNs protect the origin by default: no).</summary>
    public bool HonorClientNoCache { get; set; }

    /// <summary>Time an uncacheable object bypasses request coalescing (Varnish's hit-for-miss), so clients do not queue behind each other.</summary>
    public TimeSpan UncacheableMemory { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var day = TimeSpan.FromDays(3650);
        errors.InRange(PlaylistTtl, TimeSpan.Zero, day, OptionsErrors.Path(path, nameof(PlaylistTtl)));
        errors.InRange(SegmentTtl, TimeSpan.Zero, day, OptionsErrors.Path(path, nameof(SegmentTtl)));
        errors.InRange(NegativeTtl, TimeSpan.Zero, day, OptionsErrors.Path(path, nameof(NegativeTtl)));
        errors.InRange(HeuristicMax, TimeSpan.Zero, day, OptionsErrors.Path(path, nameof(HeuristicMax)));
        errors.InRange(MaxTtl, TimeSpan.FromSeconds(1), day, OptionsErrors.Path(path, nameof(MaxTtl)));
        errors.InRange(DefaultStaleIfError, TimeSpan.Zero, day, OptionsErrors.Path(path, nameof(DefaultStaleIfError)));
        errors.InRange(DefaultStaleWhileRevalidate, TimeSpan.Zero, day, OptionsErrors.Path(path, nameof(DefaultStaleWhileRevalidate)));
        errors.InRange(UncacheableMemory, TimeSpan.Zero, TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(UncacheableMemory)));
        errors.Require(HeuristicFraction is >= 0 and <= 1, OptionsErrors.Path(path, nameof(HeuristicFraction)), $"must be between 0 and 1, got {HeuristicFraction}");
        for (var i = 0; i < KeyQueryParameters.Count; i++)
        {
            errors.NotEmpty(KeyQueryParameters[i], OptionsErrors.Path(path, $"{nameof(KeyQueryParameters)}:{i}"));
        }
    }
}
