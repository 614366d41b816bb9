using Cdn.Caching.Eviction;

namespace Cdn.Capacity.Simulation;

/// <summary>Hit ratios of one policy at one cache size over one trace.</summary>
public sealed record SimulationResult(string Policy, long CacheBytes, long Hits, long Requests, long HitBytes, long RequestBytes)
{
    public double ObjectHitRatio => (double)Hits / Requests;

    public double ByteHitRatio => (double)HitBytes / RequestBytes;
}

public static class PolicySimulation
{
    /// <summary>Runs a real engine policy: hit → RecordHit; miss → RecordMiss, then Insert when it says so.</summary>
    public static SimulationResult Run(RequestTrace trace, IEvictionPolicy policy, int warmupRequests)
    {
        var evicted = new List<ulong>();
        var tally = new Tally();
        for (var i = 0; i < trace.Requests; i++)
        {
            var obj = trace.Objects[i];
            var id = (ulong)obj;
            var size = trace.Sizes[obj];
            var hit = policy.Contains(id);
            if (hit)
            {
                policy.RecordHit(id);
            }
            else if (policy.RecordMiss(id, size))
            {
                evicted.Clear();
                policy.Insert(id, size, evicted);
            }

            if (i >= warmupRequests)
            {
                tally.Count(hit, size);
            }
        }

        return tally.Result(policy.Name, policy.Capacity);
    }

    /// <summary>
    /// Belady's offline policy with variable sizes: on a miss, evict the objects requested furthest in the
    /// future, but only while they are further than the new object's next request (else bypass it). Not
    /// provably optimal for variable sizes, but the standard upper reference.
    /// </summary>
    public static SimulationResult RunBelady(RequestTrace trace, long capacity, int warmupRequests)
    {
        var n = trace.Requests;
        var next = new int[n];
        var last = new Dictionary<int, int>();
        for (var i = n - 1; i >= 0; i--)
        {
            next[i] = last.TryGetValue(trace.Objects[i], out var j) ? j : int.MaxValue;
            last[trace.Objects[i]] = i;
        }

        var residentNext = new Dictionary<int, int>(); // object -> its next request index
        var heap = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => b.CompareTo(a))); // max next use first
        long used = 0;
        var tally = new Tally();
        for (var i = 0; i < n; i++)
        {
            var obj = trace.Objects[i];
            var size = trace.Sizes[obj];
            var hit = residentNext.ContainsKey(obj);
            if (hit)
            {
                residentNext[obj] = next[i];
                heap.Enqueue(obj, next[i]);
            }
            else if (next[i] != int.MaxValue && size <= capacity)
            {
                var admit = true;
                while (used + size > capacity)
                {
                    // Drop stale heap entries (object gone or re-queued with a newer next use).
                    while (heap.TryPeek(out var top, out var topNext) && (!residentNext.TryGetValue(top, out var current) || current != topNext))
                    {
                        heap.Dequeue();
                    }

                    if (!heap.TryPeek(out var victim, out var victimNext) || victimNext <= next[i])
                    {
                        admit = false;
                        break;
                    }

                    heap.Dequeue();
                    residentNext.Remove(victim);
                    used -= trace.Sizes[victim];
                }

                if (admit)
                {
                    residentNext[obj] = next[i];
                    heap.Enqueue(obj, next[i]);
                    used += size;
                }
            }

            if (i >= warmupRequests)
            {
                tally.Count(hit, size);
            }
        }

        return tally.Result("belady", capacity);
    }

    /// <summary>Counted requests and hits (after the warm-up).</summary>
    private sealed class Tally
    {
        private long _hits;
        private long _hitBytes;
        private long _requests;
        private long _requestBytes;

        public void Count(bool hit, long size)
        {
            _requests++;
            _requestBytes += size;
            if (hit)
            {
                _hits++;
                _hitBytes += size;
            }
        }

        public SimulationResult Result(string policy, long capacity) => new(policy, capacity, _hits, _requests, _hitBytes, _requestBytes);
    }
}
