using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Storage;

namespace Cdn.Caching;

/// <summary>What a lookup found.</summary>
public enum CacheLookupKind
{
    /// <summary>Nothing stored, nothing being filled.</summary>
    Miss,

    /// <summary>A stored object (its body leased when it has one).</summary>
    Hit,

    /// <summary>Nothing stored yet, but a fill is in progress: read from it.</summary>
    Filling,
}

/// <summary>
/// The result of <see cref="CacheEngine.Lookup"/>. On a hit with a body the caller owns <see cref="Body"/> and
/// must dispose it when done. <see cref="Fill"/> is also set on a hit whose refresh is in progress.
/// </summary>
public readonly record struct CacheLookup(CacheLookupKind Kind, CacheEntry? Entry, BodyLease? Body, CacheFill? Fill)
{
    /// <summary>A miss.</summary>
    public static CacheLookup Miss => default;
}

/// <summary>Totals across the engine's volumes.</summary>
public sealed record CacheStatistics(
    long Objects,
    long UsedBytes,
    long CapacityBytes,
    int VolumesUp,
    int VolumesTotal,
    long Hits,
    long Misses,
    long FillsStored,
    long FillsFailed,
    long Evictions,
    long IndexLogBytes,
    long IndexMemoryBytes,
    int OpenHandles,
    long FreeBytes);

/// <summary>One volume as the engine sees it.</summary>
public sealed record CacheVolumeStatus(string Path, int Slot, bool InService, string? FailureReason, long UsedBytes, long CapacityBytes, int Objects, string Policy);
