using System.Collections.Concurrent;
using Cdn.Caching.Diagnostics;
using Cdn.Caching.Eviction;
using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Keys;
using Cdn.Caching.Storage;
using Microsoft.Extensions.Logging;

namespace Cdn.Caching;

/// <summary>
/// The cache engine used by the edge and the shield: a FASTER index of object metadata, bodies as files on
/// cache volumes, one coalesced fill per object with read-while-write, byte-bounded eviction per volume,
/// purge and pinning, checkpoints and crash recovery. See README.md in this folder for the invariants.
/// </summary>
public sealed partial class CacheEngine : IAsyncDisposable
{
    private const int StripeCount = 1024;

    private readonly CacheEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CacheIndex _index;
    private readonly CacheVolume?[] _volumesBySlot = new CacheVolume?[256];
    private readonly List<CacheVolume> _volumes = [];
    private readonly BodyHandleCache _handles;
    private readonly ConcurrentDictionary<ulong, CacheFill> _fills = new();
    private readonly object[] _stripes = new object[StripeCount];
    private readonly CacheMetrics _metrics;
    private long _hits;
    private long _misses;
    private long _fillsStored;
    private long _fillsFailed;
    private long _evictions;

    private CacheEngine(CacheEngineOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger("Cdn.Caching.CacheEngine");
        for (var i = 0; i < StripeCount; i++)
        {
            _stripes[i] = new object();
        }

        Directory.CreateDirectory(options.Index.Directory);
        KeyHasher = CacheKeyHasher.LoadOrCreate(Path.Combine(options.Index.Directory, "keyhash.secret"), out var newSecret);
        if (newSecret)
        {
            // Records hashed with a lost secret can never be found again: start the index afresh.
            WipeIndexFiles(options.Index.Directory);
        }

        _index = new CacheIndex(options.Index, _logger);
        _handles = new BodyHandleCache(options.OpenHandleLimit);
        _metrics = new CacheMetrics(this, options.Name);
    }

    /// <summary>
    /// Opens the engine: recovers the index from its last checkpoint, opens the volumes (removing partial fills
    /// left by a crash) and rebuilds eviction state. Orphan and missing bodies are reconciled in the background
    /// (<see cref="Reconciled"/>); until then every body is checked when first opened.
    /// </summary>
    public static CacheEngine Open(CacheEngineOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        var engine = new CacheEngine(options, time, loggers);
        try
        {
            engine.OpenVolumes();
            var references = engine.Rebuild();
            engine.Reconciled = Task.Run(() => engine.Reconcile(references));
            engine.StartCheckpoints();
            return engine;
        }
        catch
        {
            engine.DisposeCore();
            throw;
        }
    }

    /// <summary>Makes keys with this cache's secret.</summary>
    public CacheKeyHasher KeyHasher { get; }

    /// <summary>Completes when the start-up check of volumes against the index has finished.</summary>
    public Task Reconciled { get; private set; } = Task.CompletedTask;

    /// <summary>The engine's name.</summary>
    public string Name => _options.Name;

    internal long IndexLogBytes => _index.LogBytes;

    internal long IndexMemoryBytes => _index.InMemoryBytes;

    internal int OpenHandles => _handles.Count;

    /// <summary>
    /// Looks up <paramref name="key"/>. A hit with a body returns a lease the caller must dispose. A fill in
    /// progress for the key is returned with a miss as <see cref="CacheLookupKind.Filling"/>.
    /// </summary>
    public CacheLookup Lookup(in CacheKey key)
    {
        var hash = key.Hash;
        _fills.TryGetValue(hash, out var fill);
        if (fill is not null && fill.Key != key)
        {
            fill = null;
        }

        var entry = _index.TryGet(hash);
        if (entry is not null && entry.Key.AsSpan().SequenceEqual(key.Utf8.Span))
        {
            var volume = _volumesBySlot[entry.Volume];
            if (entry.Length == 0 && entry.BodyId == 0)
            {
                volume?.RecordHit(hash);
                return Hit(new CacheLookup(CacheLookupKind.Hit, entry, null, fill));
            }

            if (volume is null || !volume.InService)
            {
                DropEntry(hash, entry.BodyId, "its volume is out of service");
            }
            else if (OpenBody(volume, hash, entry) is { } lease)
            {
                volume.RecordHit(hash);
                return Hit(new CacheLookup(CacheLookupKind.Hit, entry, lease, fill));
            }
        }

        Interlocked.Increment(ref _misses);
        if (fill is not null)
        {
            _metrics.Lookup("filling");
            return new CacheLookup(CacheLookupKind.Filling, null, null, fill);
        }

        _metrics.Lookup("miss");
        return CacheLookup.Miss;
    }

    private CacheLookup Hit(CacheLookup result)
    {
        Interlocked.Increment(ref _hits);
        _metrics.Lookup("hit");
        return result;
    }

    /// <summary>The metadata of a stored object without leasing its body, or null.</summary>
    public CacheEntry? Peek(in CacheKey key)
    {
        var entry = _index.TryGet(key.Hash);
        return entry is not null && entry.Key.AsSpan().SequenceEqual(key.Utf8.Span) ? entry : null;
    }

    /// <summary>The fill in progress for <paramref name="key"/>, if any.</summary>
    public CacheFill? GetFill(in CacheKey key)
        => _fills.TryGetValue(key.Hash, out var fill) && fill.Key == key ? fill : null;

    /// <summary>
    /// Starts a fill of <paramref name="key"/> or joins the one in progress. Returns true when the caller is the
    /// leader and must drive it (Begin/Write/Complete, or Abandon/Fail); false when it joined another's fill.
    /// </summary>
    public bool TryStartFill(in CacheKey key, out CacheFill fill)
    {
        var created = new CacheFill(this, key);
        var existing = _fills.GetOrAdd(key.Hash, created);
        if (ReferenceEquals(existing, created))
        {
            fill = created;
            return true;
        }

        if (existing.Key == key)
        {
            fill = existing;
            return false;
        }

        // Another key with the same hash is being filled: fill this one on its own, uncoalesced.
        fill = created;
        return true;
    }

    /// <summary>
    /// Replaces the metadata of a stored object (after revalidation: new freshness, validators, headers). The
    /// body and its location must not change. Returns false when the object is not stored.
    /// </summary>
    public bool TryUpdate(in CacheKey key, Func<CacheEntry, CacheEntry> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var hash = key.Hash;
        lock (Stripe(hash))
        {
            var entry = _index.TryGet(hash);
            if (entry is null || !entry.Key.AsSpan().SequenceEqual(key.Utf8.Span))
            {
                return false;
            }

            var updated = update(entry);
            if (updated.BodyId != entry.BodyId || updated.Volume != entry.Volume || updated.Length != entry.Length || !updated.Key.AsSpan().SequenceEqual(entry.Key))
            {
                throw new ArgumentException("an update may change metadata only, not the key or the body", nameof(update));
            }

            _index.Upsert(hash, updated);
            if (updated.IsPinned != entry.IsPinned && _volumesBySlot[entry.Volume] is { } volume)
            {
                lock (volume.PolicyLock)
                {
                    volume.Policy.SetPinned(hash, updated.IsPinned);
                }
            }

            return true;
        }
    }

    /// <summary>Pins (never evicted; a fill plan keeps it) or unpins a stored object. False when not stored.</summary>
    public bool SetPinned(in CacheKey key, bool pinned)
        => TryUpdate(key, e => e with { Flags = pinned ? e.Flags | EntryFlags.Pinned : e.Flags & ~EntryFlags.Pinned });

    /// <summary>Writes a body-less entry (a Vary stub, or an empty response) for <paramref name="key"/>.</summary>
    public void StoreWithoutBody(in CacheKey key, CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var hash = key.Hash;
        var stored = entry with { Key = key.Utf8.ToArray(), BodyId = 0, Length = 0, Volume = PickVolume(hash)?.Slot ?? 0 };
        CacheEntry? old;
        lock (Stripe(hash))
        {
            old = _index.TryGet(hash);
            _index.Upsert(hash, stored);
        }

        if (old is not null && old.BodyId != 0)
        {
            ForgetBody(hash, old);
        }

        if (_volumesBySlot[stored.Volume] is { } volume)
        {
            lock (volume.PolicyLock)
            {
                volume.DrainHits();
                if (!volume.Policy.Contains(hash))
                {
                    var evicted = new List<ulong>();
                    volume.Policy.Insert(hash, 0, evicted);
                    DeleteEvicted(volume, evicted, hash);
                }
            }
        }
    }

    /// <summary>Removes one object (purge by URL). An in-flight fill of it is not stored. Returns whether it was stored.</summary>
    public bool Remove(in CacheKey key)
    {
        GetFill(key)?.Invalidate();
        var hash = key.Hash;
        CacheEntry? entry;
        lock (Stripe(hash))
        {
            entry = _index.TryGet(hash);
            if (entry is null || !entry.Key.AsSpan().SequenceEqual(key.Utf8.Span))
            {
                return false;
            }

            _index.Delete(hash);
        }

        ForgetBody(hash, entry);
        return true;
    }

    /// <summary>
    /// Removes every object whose key starts with <paramref name="prefix"/> (purge by prefix; scans the whole
    /// index, memory and disk). In-flight fills under the prefix are not stored. Returns the number removed.
    /// </summary>
    public Task<long> PurgePrefixAsync(ReadOnlyMemory<byte> prefix, CancellationToken cancellationToken = default)
        => Task.Run(
            () =>
            {
                var started = _time.GetTimestamp();
                foreach (var fill in _fills.Values)
                {
                    if (fill.Key.StartsWith(prefix.Span))
                    {
                        fill.Invalidate();
                    }
                }

                var matches = new List<CacheKey>();
                foreach (var (hash, entry) in _index.Scan())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (entry.Key.AsSpan().StartsWith(prefix.Span))
                    {
                        matches.Add(new CacheKey(entry.Key, hash));
                    }
                }

                long removed = 0;
                foreach (var key in matches)
                {
                    if (Remove(key))
                    {
                        removed++;
                    }
                }

                CachingLog.PurgedPrefix(_logger, removed, System.Text.Encoding.UTF8.GetString(prefix.Span), _time.GetElapsedTime(started));
                return removed;
            },
            cancellationToken);

    /// <summary>Totals across volumes.</summary>
    public CacheStatistics GetStatistics()
    {
        long objects = 0, used = 0, capacity = 0, free = 0;
        var up = 0;
        foreach (var volume in _volumes)
        {
            lock (volume.PolicyLock)
            {
                objects += volume.Policy.Count;
                used += volume.Policy.UsedBytes;
            }

            capacity += volume.Capacity;
            if (volume.InService)
            {
                up++;
                free += Math.Max(0, volume.FreeBytes());
            }
        }

        return new CacheStatistics(objects, used, capacity, up, _volumes.Count, Interlocked.Read(ref _hits), Interlocked.Read(ref _misses),
            Interlocked.Read(ref _fillsStored), Interlocked.Read(ref _fillsFailed), Interlocked.Read(ref _evictions),
            _index.LogBytes, _index.InMemoryBytes, _handles.Count, free);
    }

    /// <summary>Per-volume state.</summary>
    public IReadOnlyList<CacheVolumeStatus> GetVolumes()
    {
        var list = new List<CacheVolumeStatus>(_volumes.Count);
        foreach (var v in _volumes)
        {
            lock (v.PolicyLock)
            {
                list.Add(new CacheVolumeStatus(v.Root, v.Slot, v.InService, v.FailureReason, v.Policy.UsedBytes, v.Capacity, v.Policy.Count, v.Policy.Name));
            }
        }

        return list;
    }

    private object Stripe(ulong hash) => _stripes[(int)(hash & (StripeCount - 1))];

    private BodyLease? OpenBody(CacheVolume volume, ulong hash, CacheEntry entry)
    {
        if (_handles.TryLease(entry.BodyId, entry.Length) is { } cached)
        {
            return cached;
        }

        Microsoft.Win32.SafeHandles.SafeFileHandle file;
        try
        {
            file = File.OpenHandle(volume.BodyPath(entry.BodyId), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            DropEntry(hash, entry.BodyId, "body file missing");
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A missing bucket directory or EIO: is the volume itself still there?
            ReportVolumeError(volume, ex);
            DropEntry(hash, entry.BodyId, $"body file unreadable: {ex.Message}");
            return null;
        }

        long length;
        try
        {
            length = RandomAccess.GetLength(file);
        }
        catch (IOException ex)
        {
            file.Dispose();
            ReportVolumeError(volume, ex);
            return null;
        }

        if (length != entry.Length)
        {
            file.Dispose();
            DropEntry(hash, entry.BodyId, $"body file is {length} bytes, the index says {entry.Length}");
            return null;
        }

        return _handles.Add(new BodyHandle(file, entry.BodyId), entry.Length);
    }

    /// <summary>Removes the index entry for <paramref name="hash"/> if it still names <paramref name="bodyId"/>, and its body.</summary>
    private void DropEntry(ulong hash, ulong bodyId, string reason)
    {
        CacheEntry? entry;
        lock (Stripe(hash))
        {
            entry = _index.TryGet(hash);
            if (entry is null || entry.BodyId != bodyId)
            {
                return;
            }

            _index.Delete(hash);
        }

        CachingLog.EntryDropped(_logger, System.Text.Encoding.UTF8.GetString(entry.Key), reason);
        ForgetBody(hash, entry);
    }

    /// <summary>Removes a body's file, handle and eviction state (the index entry is already gone or replaced).</summary>
    private void ForgetBody(ulong hash, CacheEntry entry)
    {
        if (_volumesBySlot[entry.Volume] is not { } volume)
        {
            return;
        }

        lock (volume.PolicyLock)
        {
            volume.Policy.Remove(hash);
        }

        if (entry.BodyId != 0)
        {
            _handles.Remove(entry.BodyId);
            TryDelete(volume.BodyPath(entry.BodyId));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Reconciliation at the next start removes what could not be deleted now.
        }
    }

    /// <summary>Checkpoints the index and closes everything. In-flight fills are abandoned (their files are cleaned at next start).</summary>
    public async ValueTask DisposeAsync()
    {
        _checkpointTimer?.Dispose();
        try
        {
            await Reconciled.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException)
        {
            // Shutting down regardless; the next start reconciles again.
        }

        foreach (var fill in _fills.Values)
        {
            fill.Fail("cache engine shutting down");
        }

        try
        {
            await CheckpointAsync(full: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            CachingLog.CheckpointFailed(_logger, ex);
        }

        DisposeCore();
    }

    private void DisposeCore()
    {
        _checkpointTimer?.Dispose();
        _handles.Clear();
        foreach (var volume in _volumes)
        {
            volume.Dispose();
        }

        _index.Dispose();
        _metrics.Dispose();
    }

    private static void WipeIndexFiles(string directory)
    {
        foreach (var sub in (string[])["log", "checkpoints"])
        {
            var path = Path.Combine(directory, sub);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }
}
