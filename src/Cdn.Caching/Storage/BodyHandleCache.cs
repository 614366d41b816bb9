using System.Collections.Concurrent;

namespace Cdn.Caching.Storage;

/// <summary>
/// Open body files, kept open across requests (opening per request costs an open, an fstat and a close —
/// and SERVING.md measured path-based sends leaking descriptors). Bounded in count; when over, handles not
/// used since the last sweep are dropped (CLOCK). A dropped handle closes once its last lease is released.
/// </summary>
internal sealed class BodyHandleCache
{
    private readonly ConcurrentDictionary<ulong, BodyHandle> _handles = new();
    private readonly int _limit;
    private int _sweeping;
    private ulong[] _clock = [];
    private int _hand;

    public BodyHandleCache(int limit) => _limit = limit;

    public int Count => _handles.Count;

    /// <summary>A lease on a cached handle for <paramref name="bodyId"/>, or null when none is cached.</summary>
    public BodyLease? TryLease(ulong bodyId, long length)
    {
        if (_handles.TryGetValue(bodyId, out var handle) && handle.TryAddReference())
        {
            handle.Referenced = true;
            return new BodyLease(handle, length);
        }

        return null;
    }

    /// <summary>
    /// Adds a freshly opened handle (its initial reference becomes the cache's) and returns a lease on
    /// whichever handle is cached for the id afterwards.
    /// </summary>
    public BodyLease Add(BodyHandle handle, long length)
    {
        while (true)
        {
            var cached = _handles.GetOrAdd(handle.BodyId, handle);
            if (!ReferenceEquals(cached, handle))
            {
                if (cached.TryAddReference())
                {
                    handle.Release();
                    return new BodyLease(cached, length);
                }

                // Being removed concurrently; replace it.
                _handles.TryUpdate(handle.BodyId, handle, cached);
                continue;
            }

            handle.TryAddReference();
            if (_handles.Count > _limit)
            {
                Sweep();
            }

            return new BodyLease(handle, length);
        }
    }

    /// <summary>Forgets the handle of a deleted body.</summary>
    public void Remove(ulong bodyId)
    {
        if (_handles.TryRemove(bodyId, out var handle))
        {
            handle.Release();
        }
    }

    /// <summary>Drops every handle (shutdown, failed volume).</summary>
    public void Clear()
    {
        foreach (var id in _handles.Keys)
        {
            Remove(id);
        }
    }

    private void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            // CLOCK with a hand that persists between sweeps, over a snapshot of the keys taken when the hand
            // wraps: each sweep does work proportional to what it removes, not to the size of the cache.
            var target = _limit * 7 / 8;
            var budget = 2 * _handles.Count;
            while (_handles.Count > target && budget-- > 0)
            {
                if (_hand >= _clock.Length)
                {
                    _clock = [.. _handles.Keys];
                    _hand = 0;
                    if (_clock.Length == 0)
                    {
                        return;
                    }
                }

                var id = _clock[_hand++];
                if (!_handles.TryGetValue(id, out var handle))
                {
                    continue;
                }

                if (handle.Referenced)
                {
                    handle.Referenced = false; // second chance
                }
                else if (_handles.TryRemove(new KeyValuePair<ulong, BodyHandle>(id, handle)))
                {
                    handle.Release();
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
