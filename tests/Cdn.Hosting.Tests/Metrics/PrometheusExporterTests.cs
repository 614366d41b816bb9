using System.Diagnostics.Metrics;
using Cdn.Hosting.Metrics;

namespace Cdn.Hosting.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    private static (Meter Meter, PrometheusExporter Exporter) Create()
    {
        var name = "Cdn.Test." + Guid.NewGuid().ToString("N");
        var meter = new Meter(name);
        return (meter, new PrometheusExporter(m => m.Name == name));
    }

    [Fact]
    public void Counters_are_summed_per_label_set_whatever_the_tag_order()
    {
        var (meter, exporter) = Create();
        using var _ = meter;
        using var __ = exporter;
        var counter = meter.CreateCounter<long>("edgenode_http_requests_total", description: "Requests served.");

        counter.Add(2, new("status", "200"), new("cache", "hit"));
        counter.Add(3, new("cache", "hit"), new("status", "200"));
        counter.Add(1, new("status", "404"), new("cache", "miss"));

        var text = exporter.Scrape();
        Assert.Contains("# HELP edgenode_http_requests_total Requests served.\n", text);
        Assert.Contains("# TYPE edgenode_http_requests_total counter\n", text);
        Assert.Contains("edgenode_http_requests_total{cache=\"hit\",status=\"200\"} 5\n", text);
        Assert.Contains("edgenode_http_requests_total{cache=\"miss\",status=\"404\"} 1\n", text);
    }

    [Fact]
    public void A_counter_without_the_total_suffix_gets_it()
    {
        var (meter, exporter) = Create();
        using var _ = meter;
        using var __ = exporter;
        meter.CreateCounter<long>("edgenode_bytes_sent").Add(10);

        Assert.Contains("edgenode_bytes_sent_total 10\n", exporter.Scrape());
    }

    [Fact]
    public void Histograms_have_cumulative_buckets_sum_and_count()
    {
        var (meter, exporter) = Create();
        using var _ = meter;
        using var __ = exporter;
        var histogram = meter.CreateHistogram<double>("edgenode_upstream_seconds", "s", "Upstream latency.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });

        histogram.Record(0.05);
        histogram.Record(0.5);
        histogram.Record(5);

        var text = exporter.Scrape();
        Assert.Contains("# TYPE edgenode_upstream_seconds histogram\n", text);
        Assert.Contains("edgenode_upstream_seconds_bucket{le=\"0.1\"} 1\n", text);
        Assert.Contains("edgenode_upstream_seconds_bucket{le=\"1\"} 2\n", text);
        Assert.Contains("edgenode_upstream_seconds_bucket{le=\"+Inf\"} 3\n", text);
        Assert.Contains("edgenode_upstream_seconds_sum 5.55\n", text);
        Assert.Contains("edgenode_upstream_seconds_count 3\n", text);
    }

    [Fact]
    public void Observable_gauges_show_only_the_series_reported_at_this_scrape()
    {
        var (meter, exporter) = Create();
        using var _ = meter;
        using var __ = exporter;
        var volumes = new List<string> { "a", "b" };
        meter.CreateObservableGauge("edgenode_cache_bytes_used", () => volumes.Select(v => new Measurement<long>(100, new KeyValuePair<string, object?>("volume", v))));

        Assert.Contains("edgenode_cache_bytes_used{volume=\"b\"} 100\n", exporter.Scrape());

        volumes.Remove("b");
        var text = exporter.Scrape();
        Assert.Contains("edgenode_cache_bytes_used{volume=\"a\"} 100\n", text);
        Assert.DoesNotContain("volume=\"b\"", text);
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        var (meter, exporter) = Create();
        using var _ = meter;
        using var __ = exporter;
        meter.CreateCounter<long>("x_total").Add(1, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"));

        Assert.Contains("x_total{path=\"a\\\"b\\\\c\\nd\"} 1\n", exporter.Scrape());
    }

    [Fact]
    public void Concurrent_increments_are_not_lost()
    {
        var (meter, exporter) = Create();
        using var _ = meter;
        using var __ = exporter;
        var counter = meter.CreateCounter<long>("c_total");

        Parallel.For(0, 100_000, _ => counter.Add(1, new KeyValuePair<string, object?>("k", "v")));

        Assert.Contains("c_total{k=\"v\"} 100000\n", exporter.Scrape());
    }
}
