using System.Diagnostics.Metrics;

namespace Cdn.Caching.Diagnostics;

/// <summary>The engine's instruments on the <c>Cdn.Caching</c> meter, tagged with the cache's name.</summary>
internal sealed class CacheMetrics : IDisposable
{
    public const string MeterName = "Cdn.Caching";

    private readonly Meter _meter = new(MeterName);
    private readonly KeyValuePair<string, object?> _cache;
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _fills;
    private readonly Counter<long> _fillBytes;
    private readonly Counter<long> _evictions;
    private readonly Histogram<double> _checkpoint;

    public CacheMetrics(CacheEngine engine, string name)
    {
        _cache = new("cache", name);
        _lookups = _meter.CreateCounter<long>("cdn_cache_lookups_total", null, "Cache lookups by result (hit, miss, filling).");
        _fills = _meter.CreateCounter<long>("cdn_cache_fills_total", null, "Fills by outcome (stored, not_stored, failed, abandoned).");
        _fillBytes = _meter.CreateCounter<long>("cdn_cache_fill_bytes_total", "By", "Body bytes written by fills.");
        _evictions = _meter.CreateCounter<long>("cdn_cache_evictions_total", null, "Objects evicted to make room.");
        _checkpoint = _meter.CreateHistogram<double>("cdn_cache_checkpoint_seconds", "s", "Index checkpoint duration.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30] });
        _meter.CreateObservableGauge("cdn_cache_objects", () => new Measurement<long>(engine.GetStatistics().Objects, _cache), null, "Objects stored.");
        _meter.CreateObservableGauge("cdn_cache_index_log_bytes", () => new Measurement<long>(engine.IndexLogBytes, _cache), "By", "Index log size.");
        _meter.CreateObservableGauge("cdn_cache_index_memory_bytes", () => new Measurement<long>(engine.IndexMemoryBytes, _cache), "By", "Index log bytes held in memory.");
        _meter.CreateObservableGauge("cdn_cache_open_handles", () => new Measurement<long>(engine.OpenHandles, _cache), null, "Body files held open.");
        _meter.CreateObservableGauge("cdn_cache_volume_used_bytes", () => engine.GetVolumes().Select(v => new Measurement<long>(v.UsedBytes, _cache, new("volume", v.Path))), "By", "Body bytes stored per volume.");
        _meter.CreateObservableGauge("cdn_cache_volume_capacity_bytes", () => engine.GetVolumes().Select(v => new Measurement<long>(v.CapacityBytes, _cache, new("volume", v.Path))), "By", "Configured capacity per volume.");
        _meter.CreateObservableGauge("cdn_cache_volume_up", () => engine.GetVolumes().Select(v => new Measurement<int>(v.InService ? 1 : 0, _cache, new("volume", v.Path))), null, "1 when the volume is in service.");
    }

    public void Lookup(string result) => _lookups.Add(1, _cache, new("result", result));

    public void Fill(string outcome) => _fills.Add(1, _cache, new("outcome", outcome));

    public void FillBytes(long bytes) => _fillBytes.Add(bytes, _cache);

    public void Evicted(int count) => _evictions.Add(count, _cache);

    public void Checkpoint(TimeSpan elapsed) => _checkpoint.Record(elapsed.TotalSeconds, _cache);

    public void Dispose() => _meter.Dispose();
}
