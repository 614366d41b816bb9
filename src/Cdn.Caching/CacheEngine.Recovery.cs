using System.Collections.Concurrent;
using Cdn.Caching.Eviction;
using Cdn.Caching.Storage;

namespace Cdn.Caching;

/// <content>Start-up: volumes, eviction state from the index, and reconciliation of bodies against the index.</content>
public sealed partial class CacheEngine
{
    private ConcurrentDictionary<ulong, byte>? _createdDuringReconcile = new();
    private long _partialsRemoved;

    /// <summary>A body the index refers to: what reconciliation checks on disk.</summary>
    private readonly record struct BodyReference(ulong BodyId, ulong Hash, long Length);

    private void OpenVolumes()
    {
        var table = VolumeTable.Load(_options.Index.Directory);
        var taken = new HashSet<byte>();
        foreach (var config in _options.Volumes)
        {
            var root = Path.GetFullPath(config.Path);
            Directory.CreateDirectory(root);
            var markerPath = Path.Combine(root, CacheVolume.MarkerFile);
            Guid id;
            if (!File.Exists(markerPath) || !Guid.TryParse(File.ReadAllText(markerPath).Trim(), out id))
            {
                id = Guid.NewGuid();
                File.WriteAllText(markerPath + ".tmp", id.ToString());
                File.Move(markerPath + ".tmp", markerPath, overwrite: true);
                CachingLog.VolumeReplaced(_logger, root);
            }

            var slot = table.SlotOf(id, taken);
            taken.Add(slot);
            var volume = new CacheVolume(slot, id, root, config.CapacityBytes, EvictionPolicies.Create(_options.Policy, config.CapacityBytes));
            _partialsRemoved += RemoveAll(volume.TempDirectory);
            _volumesBySlot[slot] = volume;
            _volumes.Add(volume);
            CachingLog.VolumeOpened(_logger, slot, root, config.CapacityBytes, volume.Policy.Name);
        }

        table.Retain(taken);
    }

    /// <summary>
    /// Replays the index into the volumes' eviction policies (pins included) and drops entries for volumes no
    /// longer configured. Returns, per volume, the bodies the index refers to, sorted by id.
    /// </summary>
    private Dictionary<byte, BodyReference[]> Rebuild()
    {
        var references = _volumes.ToDictionary(v => v.Slot, _ => new List<BodyReference>());
        var orphanEntries = new List<ulong>();
        var evictions = new Dictionary<CacheVolume, List<ulong>>();
        long objects = 0, bytes = 0;
        foreach (var (hash, entry) in _index.Scan())
        {
            var volume = _volumesBySlot[entry.Volume];
            if (volume is null)
            {
                orphanEntries.Add(hash);
                continue;
            }

            var evicted = evictions.TryGetValue(volume, out var list) ? list : evictions[volume] = [];
            if (!volume.Policy.Insert(hash, entry.Length, evicted))
            {
                orphanEntries.Add(hash); // a capacity reduced below the pinned bytes, or a duplicate
                continue;
            }

            if (entry.IsPinned)
            {
                volume.Policy.SetPinned(hash, true);
            }

            if (entry.BodyId != 0)
            {
                references[volume.Slot].Add(new BodyReference(entry.BodyId, hash, entry.Length));
            }

            objects++;
            bytes += entry.Length;
        }

        foreach (var hash in orphanEntries)
        {
            _index.Delete(hash);
        }

        foreach (var (volume, evicted) in evictions)
        {
            DeleteEvicted(volume, evicted, except: 0);
        }

        CachingLog.IndexRecovered(_logger, objects, bytes, _volumes.Count);
        return references.ToDictionary(p => p.Key, p =>
        {
            var array = p.Value.ToArray();
            Array.Sort(array, (a, b) => a.BodyId.CompareTo(b.BodyId));
            return array;
        });
    }

    /// <summary>
    /// Compares each volume's body files with the index: files the index does not name are orphans (deleted);
    /// entries whose file is missing or has the wrong size are dropped. Runs in the background after start;
    /// bodies created by fills meanwhile are left alone.
    /// </summary>
    private void Reconcile(Dictionary<byte, BodyReference[]> references)
    {
        var started = _time.GetTimestamp();
        long dropped = 0, orphans = 0;
        foreach (var volume in _volumes)
        {
            var refs = references[volume.Slot];
            var present = new bool[refs.Length];
            IEnumerable<string> files;
            try
            {
                files = Directory.EnumerateFiles(volume.BodiesDirectory, "*", SearchOption.AllDirectories);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ReportVolumeError(volume, ex);
                continue;
            }

            try
            {
                foreach (var file in files)
                {
                    if (!CacheVolume.TryParseBodyName(Path.GetFileName(file), out var id))
                    {
                        TryDelete(file);
                        orphans++;
                        continue;
                    }

                    var at = Array.BinarySearch(refs, new BodyReference(id, 0, 0), BodyIdComparer.Instance);
                    if (at < 0)
                    {
                        if (_createdDuringReconcile?.ContainsKey(id) != true)
                        {
                            TryDelete(file);
                            orphans++;
                        }

                        continue;
                    }

                    var length = new FileInfo(file).Length;
                    if (length != refs[at].Length)
                    {
                        DropEntry(refs[at].Hash, id, $"body file is {length} bytes, the index says {refs[at].Length}");
                        dropped++;
                    }

                    present[at] = true;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ReportVolumeError(volume, ex);
                continue;
            }

            for (var i = 0; i < refs.Length; i++)
            {
                if (!present[i])
                {
                    DropEntry(refs[i].Hash, refs[i].BodyId, "body file missing at start");
                    dropped++;
                }
            }
        }

        _createdDuringReconcile = null;
        CachingLog.Reconciled(_logger, dropped, orphans, _partialsRemoved, _time.GetElapsedTime(started));
    }

    private void NoteCreatedDuringReconcile(ulong bodyId) => _createdDuringReconcile?.TryAdd(bodyId, 0);

    private static long RemoveAll(string directory)
    {
        long removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            TryDelete(file);
            removed++;
        }

        return removed;
    }

    private sealed class BodyIdComparer : IComparer<BodyReference>
    {
        public static readonly BodyIdComparer Instance = new();

        public int Compare(BodyReference x, BodyReference y) => x.BodyId.CompareTo(y.BodyId);
    }
}
