using BenchmarkDotNet.Attributes;
using Cdn.Caching.Eviction;

namespace Cdn.Benchmarks.Caching;

/// <summary>Per-request policy cost: a hit, and a miss that inserts (and evicts) in a full cache of 100k objects.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private IEvictionPolicy _policy = null!;
    private readonly List<ulong> _evicted = [];
    private ulong _next;

    [Params(EvictionPolicyKind.Lru, EvictionPolicyKind.S3Fifo, EvictionPolicyKind.WTinyLfu)]
    public EvictionPolicyKind Kind { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = EvictionPolicies.Create(Kind, 100_000L * 1_000_000);
        for (ulong i = 0; i < 120_000; i++)
        {
            _policy.RecordMiss(i, 1_000_000);
            _policy.Insert(i, 1_000_000, _evicted);
            _evicted.Clear();
        }

        _next = 120_000;
    }

    [Benchmark]
    public void Hit() => _policy.RecordHit(119_999 - (_next++ % 50_000));

    [Benchmark]
    public int MissAndInsert()
    {
        var id = _next++;
        _policy.RecordMiss(id, 1_000_000);
        _evicted.Clear();
        _policy.Insert(id, 1_000_000, _evicted);
        return _evicted.Count;
    }
}
