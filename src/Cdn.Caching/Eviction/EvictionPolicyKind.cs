namespace Cdn.Caching.Eviction;

/// <summary>The eviction/admission policies a cache volume can run.</summary>
public enum EvictionPolicyKind
{
    /// <summary>Least recently used: the baseline.</summary>
    Lru,

    /// <summary>S3-FIFO.</summary>
    S3Fifo,

    /// <summary>W-TinyLFU: the default, chosen by the trace simulator (bench/PolicySim).</summary>
    WTinyLfu,
}

/// <summary>Creates policies by kind.</summary>
public static class EvictionPolicies
{
    /// <summary>A new, empty policy of <paramref name="kind"/> holding <paramref name="capacity"/> bytes.</summary>
    public static IEvictionPolicy Create(EvictionPolicyKind kind, long capacity) => kind switch
    {
        EvictionPolicyKind.Lru => new LruPolicy(capacity),
        EvictionPolicyKind.S3Fifo => new S3FifoPolicy(capacity),
        EvictionPolicyKind.WTinyLfu => new WTinyLfuPolicy(capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown eviction policy"),
    };
}
