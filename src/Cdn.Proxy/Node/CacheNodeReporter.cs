using Cdn.Caching;
using Cdn.Contracts.Nodes;
using Cdn.NodeAgent;
using Cdn.Proxy.Caching;

namespace Cdn.Proxy.Node;

/// <summary>
/// What a cache node tells the control plane in each heartbeat: healthy while at least one cache volume is
/// in service; load and cache figures over the period since the previous heartbeat; the most requested
/// objects of that period (for fill planning).
/// </summary>
internal sealed class CacheNodeReporter : INodeReporter
{
    private readonly CacheEngine _engine;
    private readonly HttpCache _cache;
    private readonly TimeProvider _time;
    private long _lastTimestamp;
    private long _lastBytes;
    private long _lastRequests;
    private long _lastUpstream;
    private long _lastHits;
    private long _lastMisses;
    private long _lastFailures;

    public CacheNodeReporter(CacheEngine engine, HttpCache cache, TimeProvider time)
    {
        _engine = engine;
        _cache = cache;
        _time = time;
        _lastTimestamp = time.GetTimestamp();
    }

    public ValueTask<NodeReport> CollectAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var seconds = Math.Max(0.001, _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds);
        var metrics = _cache.Metrics;
        var stats = _engine.GetStatistics();
        var bytes = metrics.BytesServed;
        var requests = metrics.RequestCount;
        var upstream = metrics.BytesFromUpstream;
        var problems = _engine.GetVolumes().Where(v => !v.InService).Select(v => $"volume {v.Path} out of service: {v.FailureReason}").ToList();
        var report = new NodeReport(
            new NodeHealthReport(stats.VolumesUp > 0, stats.VolumesUp, stats.VolumesTotal, stats.FreeBytes, stats.FillsFailed - _lastFailures, problems),
            new NodeLoadReport((bytes - _lastBytes) * 8 / seconds / 1e9, metrics.OpenConnections, (requests - _lastRequests) / seconds),
            new CacheStatsReport(stats.Objects, stats.UsedBytes, stats.CapacityBytes, (stats.Hits - _lastHits) + (stats.Misses - _lastMisses),
                stats.Hits - _lastHits, bytes - _lastBytes, upstream - _lastUpstream),
            _cache.Popularity.TakeTop(200));
        _lastTimestamp = now;
        _lastBytes = bytes;
        _lastRequests = requests;
        _lastUpstream = upstream;
        _lastHits = stats.Hits;
        _lastMisses = stats.Misses;
        _lastFailures = stats.FillsFailed;
        return ValueTask.FromResult(report);
    }
}
