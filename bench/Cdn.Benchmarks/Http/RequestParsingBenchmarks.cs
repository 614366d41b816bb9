using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Cdn.Caching.Keys;
using Cdn.Proxy.FastPath;
using Cdn.Proxy.Keys;

namespace Cdn.Benchmarks.Http;

/// <summary>
/// What the cleartext fast path does with every request before touching the cache: parse the HTTP/1.1 head a
/// browser player sends (hls.js in Chromium: 12 fields, ~520 bytes), then find the normalized target and
/// cache key (a hit in the per-node target cache; a first-seen URL pays the full normalization).
/// </summary>
[MemoryDiagnoser]
public class RequestParsingBenchmarks
{
    private const string Head =
        "GET /title0042/1080p/seg_00017.m4s HTTP/1.1\r\n" +
        "Host: cdn.example.net\r\n" +
        "Connection: keep-alive\r\n" +
        "sec-ch-ua-platform: \"Linux\"\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n" +
        "Accept: */*\r\n" +
        "Origin: https://player.example.net\r\n" +
        "Sec-Fetch-Site: same-site\r\n" +
        "Sec-Fetch-Mode: cors\r\n" +
        "Sec-Fetch-Dest: empty\r\n" +
        "Referer: https://player.example.net/\r\n" +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
        "Accept-Language: en-US,en;q=0.9\r\n\r\n";

    private readonly RequestHeadParser _parser = new(new FastPathOptions());
    private readonly FastRequest _request = new();
    private readonly TargetCache _targets = new();
    private ReadOnlySequence<byte> _plain;
    private ReadOnlySequence<byte> _range;
    private RequestTargetParser _targetParser = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(Head));
        _range = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(Head.Replace("Accept: */*\r\n", "Accept: */*\r\nRange: bytes=1048576-2097151\r\n", StringComparison.Ordinal)));
        _targetParser = new RequestTargetParser([], ["sig", "exp"]);
        var hasher = new CacheKeyHasher(new byte[16]);
        _targetParser.TryParse("cdn.example.net", "/title0042/1080p/seg_00017.m4s", out var target, out _);
        _targets.Add("cdn.example.net", "/title0042/1080p/seg_00017.m4s", target, hasher.Create(target.CacheKey));
    }

    /// <summary>A whole request head into a reused request object.</summary>
    [Benchmark]
    public int ParseHead() => _parser.TryParse(_plain, _request, out _) == ParseStatus.Complete ? _request.FieldCount : -1;

    /// <summary>The same head with a Range header (a player seeking or a byte-range playlist).</summary>
    [Benchmark]
    public int ParseRangeHead() => _parser.TryParse(_range, _request, out _) == ParseStatus.Complete ? _request.FieldCount : -1;

    /// <summary>Normalized target and cache key of a URL seen before (the steady state).</summary>
    [Benchmark]
    public bool TargetCacheHit() => _targets.TryGet("cdn.example.net", "/title0042/1080p/seg_00017.m4s", out _, out _);

    /// <summary>Full normalization of a first-seen URL with signing parameters to drop.</summary>
    [Benchmark]
    public bool NormalizeTarget() => _targetParser.TryParse("cdn.example.net", "/title0042/./1080p/seg_00017.m4s?exp=1764000000&sig=ab12cd34", out _, out _);
}
