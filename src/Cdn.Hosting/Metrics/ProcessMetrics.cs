using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cdn.Hosting.Metrics;

/// <summary>
/// The standard Prometheus process metrics (<c>process_cpu_seconds_total</c>, resident memory, open fds,
/// start time) plus GC heap size, read at scrape time. Capacity runs sample CPU through these.
/// </summary>
public sealed class ProcessMetrics : IDisposable
{
    /// <summary>Name of the meter these instruments live on.</summary>
    public const string MeterName = "Cdn.Process";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Registers the observable instruments.</summary>
    public ProcessMetrics()
    {
        var start = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        _meter.CreateObservableCounter("process_cpu_seconds_total", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "Total user and system CPU time spent in seconds.");
        _meter.CreateObservableGauge("process_resident_memory_bytes", () => Environment.WorkingSet, "By", "Resident memory size in bytes.");
        _meter.CreateObservableGauge("process_open_fds", OpenFds, null, "Number of open file descriptors.");
        _meter.CreateObservableGauge("process_start_time_seconds", () => start, "s", "Start time of the process since unix epoch in seconds.");
        _meter.CreateObservableGauge("dotnet_gc_heap_bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "Managed heap size after the last GC, in bytes.");
        _meter.CreateObservableCounter("dotnet_gc_collections_total", () => GC.CollectionCount(0), null, "Number of gen0 collections (gen0 includes every collection).");
        _meter.CreateObservableGauge("dotnet_threadpool_threads", () => ThreadPool.ThreadCount, null, "Thread pool threads.");
    }

    private static long OpenFds()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount();
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
