using System.Buffers;
using BenchmarkDotNet.Attributes;
using Cdn.Hosting.Metrics;
using Cdn.Proxy.Diagnostics;

namespace Cdn.Benchmarks.Metrics;

/// <summary>
/// Metrics cost per request (what every response records, with the Prometheus exporter listening) and per
/// scrape (the whole exposition of a busy node's proxy metrics: every status × cache result series, upstream
/// histograms per server).
/// </summary>
[MemoryDiagnoser]
public class PrometheusBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private ProxyMetrics _metrics = null!;
    private PrometheusExporter _exporter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new ProxyMetrics("bench");
        _exporter = new PrometheusExporter(m => m.Name == ProxyMetrics.MeterName);
        foreach (var status in new[] { 200, 206, 304, 404, 416, 502 })
        {
            foreach (var result in Enum.GetValues<CacheResult>())
            {
                _metrics.Request(status, result, 1000);
            }
        }

        foreach (var server in new[] { "shield-a:8443", "shield-b:8443", "origin:443" })
        {
            _metrics.Upstream(server, "ok", TimeSpan.FromMilliseconds(12));
            _metrics.Upstream(server, "timeout", TimeSpan.FromMilliseconds(3000));
        }

        _metrics.Connection("http", 1);
        _metrics.Sendfile();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _exporter.Dispose();
        _metrics.Dispose();
    }

    /// <summary>One served response: request and byte counters with status and cache-result labels.</summary>
    [Benchmark]
    public long RecordRequest()
    {
        _metrics.Request(200, CacheResult.Hit, 2_621_440);
        return _metrics.RequestCount;
    }

    /// <summary>One upstream fetch: time-to-first-byte histogram with server and outcome labels.</summary>
    [Benchmark]
    public long RecordUpstream()
    {
        _metrics.Upstream("shield-a:8443", "ok", TimeSpan.FromMilliseconds(8));
        return _metrics.RequestCount;
    }

    /// <summary>A whole scrape of the proxy meter in the text exposition format.</summary>
    [Benchmark]
    public int Scrape()
    {
        _output.ResetWrittenCount();
        _exporter.WriteTo(_output);
        return _output.WrittenCount;
    }
}
