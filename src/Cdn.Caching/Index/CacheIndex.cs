using System.Collections.Concurrent;
using FASTER.core;
using Microsoft.Extensions.Logging;

namespace Cdn.Caching.Index;

/// <summary>
/// The persistent index: FASTER KV from the 64-bit keyed hash of a cache key to a <see cref="CacheEntry"/>
/// record. The hybrid log keeps the recent part in memory (<see cref="CacheIndexOptions.MemoryBytes"/>) and
/// the rest on disk; checkpoints make it recoverable after a restart or crash.
/// Thread-safe: each operation rents a FASTER session from a pool (sessions are single-threaded).
/// </summary>
internal sealed class CacheIndex : IDisposable
{
    private readonly FasterKV<long, SpanByte> _store;
    private readonly FasterKVSettings<long, SpanByte> _settings;
    private readonly ConcurrentBag<ClientSession<long, SpanByte, SpanByte, CacheEntry?, Empty, IndexFunctions>> _sessions = [];
    private readonly IndexFunctions _functions = new();
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _checkpointLock = new(1, 1);

    [ThreadStatic]
    private static byte[]? _encodeBuffer;

    public CacheIndex(CacheIndexOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        Directory.CreateDirectory(options.Directory);
        var logDir = Path.Combine(options.Directory, "log");
        var checkpointDir = Path.Combine(options.Directory, "checkpoints");
        Directory.CreateDirectory(logDir);
        Directory.CreateDirectory(checkpointDir);
        _settings = new FasterKVSettings<long, SpanByte>
        {
            IndexSize = options.HashTableBytes,
            LogDevice = Devices.CreateLogDevice(Path.Combine(logDir, "index.log"), preallocateFile: false, deleteOnClose: false),
            MemorySize = options.MemoryBytes,
            PageSize = options.PageBytes,
            SegmentSize = Math.Max(options.PageBytes * 4, 1L << 26),
            CheckpointDir = checkpointDir,
            RemoveOutdatedCheckpoints = true,
            TryRecoverLatest = false,
        };
        _store = new FasterKV<long, SpanByte>(_settings);
        try
        {
            _store.Recover();
            Recovered = true;
        }
        catch (FasterException ex)
        {
            CachingLog.IndexStartedEmpty(_logger, options.Directory, ex.Message);
        }
    }

    /// <summary>True when the index was recovered from a checkpoint.</summary>
    public bool Recovered { get; }

    /// <summary>Records in the log (live or not), an estimate of index size.</summary>
    public long LogBytes => _store.Log.TailAddress - _store.Log.BeginAddress;

    /// <summary>Bytes of the log held in memory.</summary>
    public long InMemoryBytes => _store.Log.TailAddress - _store.Log.HeadAddress;

    /// <summary>The record for <paramref name="hash"/>, or null.</summary>
    public CacheEntry? TryGet(ulong hash)
    {
        var session = Rent();
        try
        {
            var key = (long)hash;
            CacheEntry? output = null;
            var status = session.Read(ref key, ref output);
            if (status.IsPending)
            {
                session.CompletePendingWithOutputs(out var completed, wait: true);
                using (completed)
                {
                    output = null;
                    while (completed.Next())
                    {
                        if (completed.Current.Status.Found)
                        {
                            output = completed.Current.Output;
                        }
                    }
                }

                return output;
            }

            return status.Found ? output : null;
        }
        finally
        {
            _sessions.Add(session);
        }
    }

    /// <summary>Writes the record for <paramref name="hash"/>.</summary>
    public unsafe void Upsert(ulong hash, CacheEntry entry)
    {
        var size = CacheEntryCodec.SizeOf(entry);
        var buffer = _encodeBuffer is { } b && b.Length >= size ? b : (_encodeBuffer = new byte[Math.Max(size, 1024)]);
        CacheEntryCodec.Write(entry, buffer);
        var session = Rent();
        try
        {
            fixed (byte* p = buffer)
            {
                var key = (long)hash;
                var value = SpanByte.FromPointer(p, size);
                var status = session.Upsert(ref key, ref value);
                if (status.IsPending)
                {
                    session.CompletePending(wait: true);
                }
            }
        }
        finally
        {
            _sessions.Add(session);
        }
    }

    /// <summary>Removes the record for <paramref name="hash"/>.</summary>
    public void Delete(ulong hash)
    {
        var session = Rent();
        try
        {
            var key = (long)hash;
            if (session.Delete(ref key).IsPending)
            {
                session.CompletePending(wait: true);
            }
        }
        finally
        {
            _sessions.Add(session);
        }
    }

    /// <summary>Every live record (memory and disk), in log order. For start-up, purge by prefix and stats.</summary>
    public IEnumerable<(ulong Hash, CacheEntry Entry)> Scan()
    {
        var session = Rent();
        try
        {
            using var iterator = session.Iterate();
            while (iterator.GetNext(out var recordInfo))
            {
                if (recordInfo.Tombstone)
                {
                    continue;
                }

                var key = iterator.GetKey();
                var entry = CacheEntryCodec.Read(iterator.GetValue().AsReadOnlySpan());
                if (entry is not null)
                {
                    yield return ((ulong)key, entry);
                }
            }
        }
        finally
        {
            _sessions.Add(session);
        }
    }

    /// <summary>
    /// Takes a checkpoint. A full one also persists the hash table (slower, bigger); log-only ones between
    /// full ones are cheap and recovery replays the log since the last full one.
    /// </summary>
    public async Task<bool> CheckpointAsync(bool full, CancellationToken cancellationToken)
    {
        await _checkpointLock.WaitAsync(cancellationToken);
        try
        {
            var (success, _) = full
                ? await _store.TakeFullCheckpointAsync(CheckpointType.FoldOver, cancellationToken)
                : await _store.TakeHybridLogCheckpointAsync(CheckpointType.FoldOver, tryIncremental: false, cancellationToken);
            return success;
        }
        finally
        {
            _checkpointLock.Release();
        }
    }

    /// <summary>
    /// Reclaims log space held by overwritten and deleted records: live records from the oldest part are copied
    /// to the tail and the log's beginning moves past them.
    /// </summary>
    public long Compact(double fraction)
    {
        var begin = _store.Log.BeginAddress;
        var until = begin + (long)((_store.Log.SafeReadOnlyAddress - begin) * fraction);
        if (until <= begin)
        {
            return 0;
        }

        var session = Rent();
        try
        {
            var newBegin = session.Compact(until, CompactionType.Scan);
            return newBegin - begin;
        }
        finally
        {
            _sessions.Add(session);
        }
    }

    private ClientSession<long, SpanByte, SpanByte, CacheEntry?, Empty, IndexFunctions> Rent()
        => _sessions.TryTake(out var session) ? session : _store.For(_functions).NewSession<IndexFunctions>();

    public void Dispose()
    {
        while (_sessions.TryTake(out var session))
        {
            session.Dispose();
        }

        _store.Dispose();
        _settings.LogDevice?.Dispose();
        _settings.Dispose();
        _checkpointLock.Dispose();
    }
}
