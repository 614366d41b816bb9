namespace Cdn.Proxy.Caching;

/// <summary>How a prefetch ended.</summary>
public enum PrefetchOutcome
{
    /// <summary>The object was already stored; nothing was fetched.</summary>
    AlreadyCached,

    /// <summary>Fetched and stored.</summary>
    Filled,

    /// <summary>Another fill of it (a player's) was in progress and stored it.</summary>
    Joined,

    /// <summary>Upstream answered, but the response may not be stored (no-store, private, too large…).</summary>
    NotCacheable,

    /// <summary>No upstream answered usefully, or the body broke off.</summary>
    Failed,
}

/// <summary>The result of <see cref="HttpCache.PrefetchAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Bytes">Body bytes now stored (for AlreadyCached: the stored length).</param>
/// <param name="BytesFetched">Body bytes read from upstream by this prefetch.</param>
/// <param name="Source">Which upstream answered (a peer, a shield, an origin), if any.</param>
/// <param name="Reason">Why it was not stored.</param>
public sealed record PrefetchResult(PrefetchOutcome Outcome, long Bytes, long BytesFetched, string? Source, string? Reason)
{
    /// <summary>True when the object is stored now.</summary>
    public bool Stored => Outcome is PrefetchOutcome.AlreadyCached or PrefetchOutcome.Filled or PrefetchOutcome.Joined;
}
