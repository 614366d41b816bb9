using Cdn.Caching.Storage;

namespace Cdn.Caching;

/// <content>Checkpoints, log compaction and volume failure handling.</content>
public sealed partial class CacheEngine
{
    private ITimer? _checkpointTimer;
    private int _checkpointRunning;
    private int _checkpointCount;

    private void StartCheckpoints()
    {
        var every = _options.Index.CheckpointInterval;
        _checkpointTimer = _time.CreateTimer(_ => _ = PeriodicCheckpointAsync(), null, every, every);
    }

    private async Task PeriodicCheckpointAsync()
    {
        if (Interlocked.Exchange(ref _checkpointRunning, 1) == 1)
        {
            return;
        }

        try
        {
            var full = ++_checkpointCount % _options.Index.FullCheckpointEvery == 0;
            await CheckpointAsync(full, CancellationToken.None);
            MaybeCompact();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            CachingLog.CheckpointFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _checkpointRunning, 0);
        }
    }

    /// <summary>
    /// Makes the current state recoverable: first every volume's filesystem is synced (so each body the index
    /// will name is durable), then the index is checkpointed. A full checkpoint also writes the hash table.
    /// </summary>
    public async Task CheckpointAsync(bool full, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        foreach (var volume in _volumes)
        {
            try
            {
                volume.Sync();
            }
            catch (IOException ex)
            {
                ReportVolumeError(volume, ex);
            }
        }

        await _index.CheckpointAsync(full, cancellationToken);
        var elapsed = _time.GetElapsedTime(started);
        _metrics.Checkpoint(elapsed);
        CachingLog.CheckpointTaken(_logger, full ? "full" : "log", elapsed);
    }

    /// <summary>
    /// Compacts the index log when it holds much more than the live records need (every overwrite and delete
    /// appends): above 64 MiB and three times ~200 bytes per live object, the older half is compacted.
    /// </summary>
    private void MaybeCompact()
    {
        long objects = 0;
        foreach (var volume in _volumes)
        {
            lock (volume.PolicyLock)
            {
                objects += volume.Policy.Count;
            }
        }

        if (_index.LogBytes > Math.Max(64L << 20, objects * 200 * 3))
        {
            CachingLog.Compacted(_logger, _index.Compact(0.5));
        }
    }

    /// <summary>
    /// An I/O error on <paramref name="volume"/>: probe it, and take it out of service if the probe fails. Its
    /// objects then read as misses and fills go to the other volumes; the engine keeps serving.
    /// </summary>
    internal void ReportVolumeError(CacheVolume volume, Exception error)
    {
        if (!volume.InService)
        {
            return;
        }

        CachingLog.VolumeIoError(_logger, error, volume.Slot, volume.Root);
        if (!volume.Probe(out var reason) && volume.Fail(reason))
        {
            CachingLog.VolumeFailed(_logger, volume.Slot, volume.Root, reason);
            foreach (var fill in _fills.Values)
            {
                if (ReferenceEquals(fill.Volume, volume))
                {
                    fill.Fail($"cache volume {volume.Root} failed");
                }
            }
        }
    }
}
