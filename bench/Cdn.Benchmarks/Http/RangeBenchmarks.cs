using BenchmarkDotNet.Attributes;
using Cdn.Benchmarks.Caching;
using Cdn.Caching.Index;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.FastPath;
using Cdn.Proxy.Http;
using Cdn.Proxy.Serving;

namespace Cdn.Benchmarks.Http;

/// <summary>
/// Range and conditional handling against a stored 2.5 MiB segment, and rendering the response head the fast
/// path writes before sendfile (206 with Content-Range, validators, Age, CORS).
/// </summary>
[MemoryDiagnoser]
public class RangeBenchmarks
{
    private const long Length = 2_621_440;
    private static readonly byte[] Single = "bytes=1048576-2097151"u8.ToArray();
    private static readonly byte[] Suffix = "bytes=-65536"u8.ToArray();
    private static readonly byte[] Several = "bytes=0-99, 200-299, 5000000-"u8.ToArray();
    private static readonly byte[] IfNoneMatch = "\"a1\", W/\"b2\", \"5f3a9c-1b2c3d4e\""u8.ToArray();
    private static readonly byte[] ETag = "\"5f3a9c-1b2c3d4e\""u8.ToArray();

    private readonly HeaderBuffer _head = new();
    private HttpDateCache _date = null!;
    private ResponseHeaders _headers = null!;
    private CacheResponse _partial = null!;

    [GlobalSetup]
    public void Setup()
    {
        _date = new HttpDateCache(TimeProvider.System);
        _headers = new ResponseHeaders(new CorsOptions(), _date, "edge-ams-1");
        CacheEntry entry = EngineFixture.Entry("cdn.example.net/title0042/1080p/seg_00017.m4s"u8.ToArray()) with
        {
            Length = Length,
            ResponseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        _partial = new CacheResponse
        {
            Status = 206,
            Result = CacheResult.Hit,
            Entry = entry,
            Source = BodySource.None,
            Offset = 1_048_576,
            Length = 1_048_576,
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _head.Dispose();
        _date.Dispose();
    }

    /// <summary><c>bytes=a-b</c> against the body length.</summary>
    [Benchmark]
    public long ResolveRange() => ByteRange.Resolve(Single, Length).Start;

    /// <summary><c>bytes=-n</c> (the last n bytes).</summary>
    [Benchmark]
    public long ResolveSuffixRange() => ByteRange.Resolve(Suffix, Length).Start;

    /// <summary>Several ranges (answered with the whole body), each checked for satisfiability.</summary>
    [Benchmark]
    public RangeKind ResolveSeveralRanges() => ByteRange.Resolve(Several, Length).Kind;

    /// <summary>If-None-Match with three tags, the last one matching (weak comparison).</summary>
    [Benchmark]
    public bool MatchIfNoneMatch() => EntityTags.WeakMatchAny(IfNoneMatch, ETag);

    /// <summary>Status line and every header of a 206 hit, into the connection's reused head buffer.</summary>
    [Benchmark]
    public int RenderPartialHead()
    {
        _head.Clear();
        _head.StatusLine(206);
        var sink = new HeaderBuffer.Sink(_head);
        _headers.Write(_partial, _partial.Length, "https://player.example.net", null, ref sink);
        return _head.Length;
    }
}
