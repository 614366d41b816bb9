using BenchmarkDotNet.Attributes;
using Cdn.Caching;
using Cdn.Caching.Keys;

namespace Cdn.Benchmarks.Caching;

/// <summary>
/// The per-request cost of asking the cache: key hashing, index lookup (FASTER read + decode), and a hit's
/// body lease from the open-handle cache. 10,000 stored objects, all in memory; lookups cycle through them.
/// </summary>
[MemoryDiagnoser]
public class LookupBenchmarks
{
    private EngineFixture _fixture = null!;
    private CacheKey[] _keys = null!;
    private CacheKey[] _absent = null!;
    private byte[][] _rawKeys = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new EngineFixture();
        var engine = _fixture.Engine;
        _rawKeys = Enumerable.Range(0, 10_000).Select(i => System.Text.Encoding.UTF8.GetBytes($"cdn.example.net/title{i % 97:D4}/1080p/seg_{i:D5}.m4s")).ToArray();
        _keys = _rawKeys.Select(k => engine.KeyHasher.Create(k)).ToArray();
        _absent = _rawKeys.Select(k => engine.KeyHasher.Create([.. k, (byte)'x'])).ToArray();
        var body = new byte[4096];
        foreach (var key in _keys)
        {
            engine.TryStartFill(key, out var fill);
            fill.Begin(EngineFixture.Entry(key.Utf8.ToArray()), body.Length);
            fill.WriteAsync(body).AsTask().GetAwaiter().GetResult();
            fill.CompleteAsync().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Keyed SipHash of a typical 45-byte cache key.</summary>
    [Benchmark]
    public ulong HashKey() => _fixture.Engine.KeyHasher.Hash(_rawKeys[_next++ % _rawKeys.Length]);

    /// <summary>A hit: index read, key check, body lease from the handle cache, policy hit.</summary>
    [Benchmark]
    public long LookupHit()
    {
        var lookup = _fixture.Engine.Lookup(_keys[_next++ % _keys.Length]);
        var length = lookup.Entry!.Length;
        lookup.Body!.Dispose();
        return length;
    }

    /// <summary>A miss: index read of an absent key.</summary>
    [Benchmark]
    public CacheLookupKind LookupMiss() => _fixture.Engine.Lookup(_absent[_next++ % _absent.Length]).Kind;

    /// <summary>Metadata only (no lease): what a conditional request that ends in 304 needs.</summary>
    [Benchmark]
    public long PeekMetadata() => _fixture.Engine.Peek(_keys[_next++ % _keys.Length])!.Length;
}
