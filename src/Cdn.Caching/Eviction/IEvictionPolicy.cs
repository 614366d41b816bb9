namespace Cdn.Caching.Eviction;

/// <summary>
/// Decides which objects a byte-bounded cache keeps. Objects are named by a 64-bit id (the cache key's hash)
/// and weighed in bytes. The engine and the trace simulator run the same implementations, so what the
/// simulator measures is what ships. Implementations are not thread-safe; callers serialize access.
/// </summary>
public interface IEvictionPolicy
{
    /// <summary>Short name for reports ("lru", "s3fifo", "wtinylfu").</summary>
    string Name { get; }

    /// <summary>Bytes the policy may hold.</summary>
    long Capacity { get; }

    /// <summary>Bytes held, pinned objects included.</summary>
    long UsedBytes { get; }

    /// <summary>Objects held, pinned objects included.</summary>
    int Count { get; }

    /// <summary>True when <paramref name="id"/> is held.</summary>
    bool Contains(ulong id);

    /// <summary>A request for a held object.</summary>
    void RecordHit(ulong id);

    /// <summary>
    /// A request for an object that is not held: lets frequency-based policies learn from misses, and says
    /// whether the object is worth storing at all (e.g. larger than the cache: no).
    /// </summary>
    bool RecordMiss(ulong id, long size);

    /// <summary>
    /// Stores <paramref name="id"/>, evicting others as needed; evicted ids are appended to
    /// <paramref name="evicted"/> (the caller deletes their bodies). Returns false, holding nothing new, when
    /// the object cannot be made to fit (everything else is pinned) or the policy rejected it.
    /// <paramref name="evicted"/> may also list the inserted id itself when the policy admits it only to
    /// reject it at once (W-TinyLFU's window losing to the main space).
    /// </summary>
    bool Insert(ulong id, long size, List<ulong> evicted);

    /// <summary>Forgets an object removed from outside (purge, expiry, failed volume).</summary>
    void Remove(ulong id);

    /// <summary>Pins or unpins a held object; pinned objects are never evicted.</summary>
    void SetPinned(ulong id, bool pinned);
}
