using System.Diagnostics.Metrics;

namespace Packager.Jobs;

/// <summary>The packager's meter (<c>Cdn.Packager</c>), exported on /metrics.</summary>
internal sealed class JobMetrics : IDisposable
{
    private readonly Meter _meter = new("Cdn.Packager");
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _encodeSeconds;
    private readonly Histogram<double> _realtime;
    private readonly Counter<long> _notifications;
    private volatile IReadOnlyDictionary<JobState, long> _counts = new Dictionary<JobState, long>();

    public JobMetrics()
    {
        _meter.CreateObservableGauge("packager_jobs", ObserveCounts, description: "Jobs in the store by state");
        _finished = _meter.CreateCounter<long>("packager_jobs_finished_total", description: "Jobs finished by this process, by result");
        _encodeSeconds = _meter.CreateHistogram<double>(
            "packager_encode_seconds",
            unit: "s",
            description: "Wall-clock time of the ffmpeg run per job",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200] });
        _realtime = _meter.CreateHistogram<double>(
            "packager_encode_realtime_factor",
            description: "Media seconds encoded per wall-clock second (above 1 is faster than real time)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20] });
        _notifications = _meter.CreateCounter<long>("packager_notifications_total", description: "Control-plane notification attempts by result");
    }

    /// <summary>Replaces the per-state counts (refreshed by the workers from the store).</summary>
    public void SetCounts(IReadOnlyDictionary<JobState, long> counts) => _counts = counts;

    public void Finished(JobState result) => _finished.Add(1, new KeyValuePair<string, object?>("result", result.ToString().ToLowerInvariant()));

    public void Encoded(double seconds, double realtimeFactor)
    {
        _encodeSeconds.Record(seconds);
        _realtime.Record(realtimeFactor);
    }

    public void Notification(bool accepted) => _notifications.Add(1, new KeyValuePair<string, object?>("result", accepted ? "accepted" : "failed"));

    private IEnumerable<Measurement<long>> ObserveCounts()
    {
        foreach (var (state, count) in _counts)
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
        }
    }

    public void Dispose() => _meter.Dispose();
}
