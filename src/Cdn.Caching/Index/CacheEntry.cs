namespace Cdn.Caching.Index;

/// <summary>
/// What the index records about one cached response: where its body lives, its length, and the response
/// metadata the HTTP layer needs to answer and to judge freshness. Immutable; updates make a copy.
/// Header values are kept as bytes, ready to write to the wire.
/// </summary>
public sealed record CacheEntry
{
    /// <summary>The normalized key, compared on every lookup (the index is addressed by its hash).</summary>
    public required byte[] Key { get; init; }

    /// <summary>HTTP status of the stored response (200, 404, …).</summary>
    public int Status { get; init; } = 200;

    /// <summary>Flags.</summary>
    public EntryFlags Flags { get; init; }

    /// <summary>Index of the cache volume holding the body (stable across restarts, see VolumeTable).</summary>
    public byte Volume { get; init; }

    /// <summary>Unique id of the body file (0 when the body is empty).</summary>
    public ulong BodyId { get; init; }

    /// <summary>Body length in bytes.</summary>
    public long Length { get; init; }

    /// <summary>When the response was received or last revalidated (unix milliseconds): the base for Age.</summary>
    public long ResponseTime { get; init; }

    /// <summary>Age the response already had at <see cref="ResponseTime"/> (RFC 9111 corrected initial age), seconds.</summary>
    public int InitialAge { get; init; }

    /// <summary>Freshness lifetime in seconds (0: stale at once).</summary>
    public int FreshnessLifetime { get; init; }

    /// <summary>stale-while-revalidate window in seconds.</summary>
    public int StaleWhileRevalidate { get; init; }

    /// <summary>stale-if-error window in seconds.</summary>
    public int StaleIfError { get; init; }

    /// <summary>Last-Modified as unix seconds, 0 when absent.</summary>
    public long LastModified { get; init; }

    /// <summary>Content-Type value bytes (may be empty).</summary>
    public byte[] ContentType { get; init; } = [];

    /// <summary>ETag value bytes including quotes and any W/ prefix (may be empty).</summary>
    public byte[] ETag { get; init; } = [];

    /// <summary>Other stored response headers rendered as <c>Name: value\r\n</c> lines.</summary>
    public byte[] Headers { get; init; } = [];

    /// <summary>For a <see cref="EntryFlags.VaryStub"/>: the varied request header names, lower-case, comma-separated.</summary>
    public byte[] Vary { get; init; } = [];

    /// <summary>True when the entry is pinned.</summary>
    public bool IsPinned => (Flags & EntryFlags.Pinned) != 0;

    /// <summary>Seconds since <see cref="ResponseTime"/> plus <see cref="InitialAge"/> at <paramref name="nowUnixMs"/>.</summary>
    public long CurrentAge(long nowUnixMs) => InitialAge + (Math.Max(0, nowUnixMs - ResponseTime) / 1000);

    /// <summary>True while <see cref="CurrentAge"/> is below the freshness lifetime.</summary>
    public bool IsFresh(long nowUnixMs) => CurrentAge(nowUnixMs) < FreshnessLifetime;
}
