using BenchmarkDotNet.Attributes;
using Cdn.Caching.Keys;

namespace Cdn.Benchmarks.Caching;

/// <summary>
/// Writing to the cache: a metadata update (index upsert, as after a 304 revalidation) and whole fills of
/// 64 KiB playlist-sized and 2.5 MiB segment-sized bodies (temp file, 64 KiB writes, rename, index, policy).
/// Fill MB/s = Size / mean time.
/// </summary>
[MemoryDiagnoser]
public class WriteBenchmarks
{
    private EngineFixture _fixture = null!;
    private CacheKey[] _keys = null!;
    private byte[] _body = null!;
    private int _next;

    [Params(64 * 1024, 2_621_440)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new EngineFixture(capacity: 2L << 30);
        _keys = Enumerable.Range(0, 4096).Select(i => _fixture.Engine.KeyHasher.Create($"cdn.example.net/title{i % 97:D4}/1080p/seg_{i:D5}.m4s")).ToArray();
        _body = new byte[Size];
        Random.Shared.NextBytes(_body);
        foreach (var key in _keys.Take(256))
        {
            _ = FillOne(key);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Index upsert of an existing object's metadata.</summary>
    [Benchmark]
    public bool UpdateMetadata()
        => _fixture.Engine.TryUpdate(_keys[_next++ % 256], e => e with { ResponseTime = e.ResponseTime + 1 });

    /// <summary>A complete fill, replacing the previous version of the object.</summary>
    [Benchmark]
    public long Fill() => FillOne(_keys[_next++ % _keys.Length]);

    private long FillOne(CacheKey key)
    {
        var engine = _fixture.Engine;
        engine.TryStartFill(key, out var fill);
        fill.Begin(EngineFixture.Entry(key.Utf8.ToArray()), _body.Length);
        for (var at = 0; at < _body.Length; at += 65536)
        {
            fill.WriteAsync(_body.AsMemory(at, Math.Min(65536, _body.Length - at))).AsTask().GetAwaiter().GetResult();
        }

        return fill.CompleteAsync().GetAwaiter().GetResult()?.Length ?? 0;
    }
}
