using System.Security.Cryptography;
using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Storage;
using Microsoft.Win32.SafeHandles;

namespace Cdn.Caching;

/// <content>Fills: placing a new body on a volume, publishing it, evicting to make room.</content>
public sealed partial class CacheEngine
{
    private const int ENOSPC = 28;

    internal bool TryOpenFillBody(CacheFill fill, long declaredLength, out CacheVolume volume, out BodyHandle handle, out ulong bodyId, out string reason)
    {
        volume = null!;
        handle = null!;
        bodyId = 0;
        if (declaredLength > _options.MaxObjectBytes)
        {
            reason = $"object of {declaredLength} bytes exceeds MaxObjectBytes ({_options.MaxObjectBytes})";
            return false;
        }

        reason = "no cache volume in service";
        var hash = fill.Key.Hash;
        foreach (var candidate in VolumesByPreference(hash))
        {
            bool worthStoring;
            lock (candidate.PolicyLock)
            {
                candidate.DrainHits();
                worthStoring = candidate.Policy.RecordMiss(hash, Math.Max(0, declaredLength));
            }

            if (!worthStoring)
            {
                reason = $"object of {declaredLength} bytes does not fit volume {candidate.Root}";
                continue;
            }

            var id = NewBodyId();
            SafeFileHandle file;
            try
            {
                file = File.OpenHandle(candidate.TempPath(id), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete,
                    FileOptions.None, preallocationSize: declaredLength > 0 ? declaredLength : 0);
            }
            catch (IOException ex) when ((ex.HResult & 0xFFFF) == ENOSPC)
            {
                reason = $"volume {candidate.Root} is full";
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ReportVolumeError(candidate, ex);
                reason = $"volume {candidate.Root} failed: {ex.Message}";
                continue;
            }

            NoteCreatedDuringReconcile(id);
            volume = candidate;
            handle = new BodyHandle(file, id);
            bodyId = id;
            return true;
        }

        return false;
    }

    internal Task<CacheEntry?> CommitFillAsync(CacheFill fill, CacheEntry entry, CancellationToken cancellationToken)
        => Task.FromResult(CommitFill(fill, entry));

    private CacheEntry? CommitFill(CacheFill fill, CacheEntry entry)
    {
        var volume = fill.Volume!;
        var hash = fill.Key.Hash;
        _metrics.FillBytes(entry.Length);
        if (!volume.InService)
        {
            _metrics.Fill("not_stored");
            return null;
        }

        // Admission and eviction first: the policy may decline the object.
        var evicted = new List<ulong>();
        bool admitted;
        lock (volume.PolicyLock)
        {
            volume.DrainHits();
            volume.Policy.Remove(hash); // a previous version on this volume is being replaced
            admitted = volume.Policy.Insert(hash, entry.Length, evicted);
        }

        if (evicted.Remove(hash))
        {
            admitted = false; // admitted into the window only to lose the admission contest at once
        }

        if (!admitted)
        {
            DeleteEvicted(volume, evicted, hash);
            _metrics.Fill("not_stored");
            return null;
        }

        // Publish the body under its final name: complete and immutable from here on.
        try
        {
            // rename(2) is a metadata operation: cheaper done here than by hopping to another thread.
            volume.EnsureBucket(fill.BodyId);
            File.Move(volume.TempPath(fill.BodyId), volume.BodyPath(fill.BodyId), overwrite: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lock (volume.PolicyLock)
            {
                volume.Policy.Remove(hash);
            }

            ReportVolumeError(volume, ex);
            DeleteEvicted(volume, evicted, hash);
            _metrics.Fill("not_stored");
            return null;
        }

        CacheEntry? old;
        lock (Stripe(hash))
        {
            old = _index.TryGet(hash);
            _index.Upsert(hash, entry);
        }

        if (old is not null && (old.Volume != entry.Volume || old.BodyId != entry.BodyId))
        {
            if (old.Volume != entry.Volume)
            {
                ForgetBody(hash, old);
            }
            else if (old.BodyId != 0)
            {
                _handles.Remove(old.BodyId);
                TryDelete(volume.BodyPath(old.BodyId));
            }
        }

        // Later readers reuse the handle the fill wrote through.
        if (fill.Handle!.TryAddReference())
        {
            _handles.Add(fill.Handle, entry.Length).Dispose();
        }

        DeleteEvicted(volume, evicted, hash);
        Interlocked.Increment(ref _fillsStored);
        _metrics.Fill("stored");
        return entry;
    }

    /// <summary>Deletes the temporary file of a fill that will not be published.</summary>
    internal static void DiscardFillBody(CacheFill fill)
    {
        if (fill.Volume is { } volume)
        {
            TryDelete(volume.TempPath(fill.BodyId));
        }
    }

    internal void EndFill(CacheFill fill)
    {
        _fills.TryRemove(new KeyValuePair<ulong, CacheFill>(fill.Key.Hash, fill));
        if (fill.State == FillState.Abandoned)
        {
            _metrics.Fill("abandoned");
        }
    }

    internal void NoteFillFailed(CacheFill fill, string reason)
    {
        Interlocked.Increment(ref _fillsFailed);
        _metrics.Fill("failed");
        CachingLog.FillFailed(_logger, fill.Key.ToString(), reason);
    }

    /// <summary>
    /// Removes evicted objects' index entries and bodies, unless the object was stored again since (it is back
    /// in the policy) or now lives elsewhere. <paramref name="except"/> is the object just stored.
    /// </summary>
    private void DeleteEvicted(CacheVolume volume, List<ulong> evicted, ulong except)
    {
        var count = 0;
        foreach (var id in evicted)
        {
            if (id == except)
            {
                continue;
            }

            CacheEntry? entry;
            lock (Stripe(id))
            {
                entry = _index.TryGet(id);
                if (entry is null || entry.Volume != volume.Slot)
                {
                    continue;
                }

                bool back;
                lock (volume.PolicyLock)
                {
                    back = volume.Policy.Contains(id);
                }

                if (back)
                {
                    continue;
                }

                _index.Delete(id);
            }

            count++;
            if (entry.BodyId != 0)
            {
                _handles.Remove(entry.BodyId);
                TryDelete(volume.BodyPath(entry.BodyId));
            }
        }

        if (count > 0)
        {
            Interlocked.Add(ref _evictions, count);
            _metrics.Evicted(count);
        }
    }

    /// <summary>In-service volumes ordered by rendezvous (highest-random-weight) hashing, weighted by capacity.</summary>
    private List<CacheVolume> VolumesByPreference(ulong hash)
    {
        var scored = new List<(double Score, CacheVolume Volume)>(_volumes.Count);
        foreach (var volume in _volumes)
        {
            if (!volume.InService)
            {
                continue;
            }

            var h = Mix(hash ^ ((ulong)volume.VolumeId.GetHashCode() * 0x9E3779B97F4A7C15UL));
            var unit = ((h >> 11) + 0.5) / (1UL << 53);
            scored.Add((volume.Capacity / -Math.Log(unit), volume));
        }

        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        return scored.ConvertAll(s => s.Volume);
    }

    private CacheVolume? PickVolume(ulong hash)
    {
        var ordered = VolumesByPreference(hash);
        return ordered.Count > 0 ? ordered[0] : null;
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        return x ^ (x >> 33);
    }

    private static ulong NewBodyId()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BitConverter.ToUInt64(bytes);
        }
        while (id == 0);
        return id;
    }
}
