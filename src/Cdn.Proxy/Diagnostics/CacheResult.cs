namespace Cdn.Proxy.Diagnostics;

/// <summary>How a response was produced (the X-Cache header and the <c>cache</c> metric label).</summary>
public enum CacheResult
{
    /// <summary>Served from a fresh stored object.</summary>
    Hit,

    /// <summary>Fetched upstream (the client read from the fill, possibly someone else's).</summary>
    Miss,

    /// <summary>Served stale while a background revalidation runs (stale-while-revalidate).</summary>
    Stale,

    /// <summary>Served stale because upstream failed (stale-if-error).</summary>
    StaleError,

    /// <summary>Stored object confirmed by a 304 from upstream.</summary>
    Revalidated,

    /// <summary>Not cacheable: relayed from upstream.</summary>
    Pass,

    /// <summary>Answered without upstream or cache (errors, preflight, 403, 304 on a hit counts as hit).</summary>
    Synthetic,
}
