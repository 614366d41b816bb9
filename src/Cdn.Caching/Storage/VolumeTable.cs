using System.Text.Json;

namespace Cdn.Caching.Storage;

/// <summary>
/// Maps the one-byte volume slot stored in index entries to the volume's identity (the GUID in its marker
/// file), persisted beside the index. Volumes are matched by identity, not by their order in the
/// configuration, so reordering paths or swapping a drive never pairs an entry with the wrong directory.
/// </summary>
internal sealed class VolumeTable
{
    private readonly string _path;
    private readonly Dictionary<byte, Guid> _slots;

    private VolumeTable(string path, Dictionary<byte, Guid> slots)
    {
        _path = path;
        _slots = slots;
    }

    public static VolumeTable Load(string indexDirectory)
    {
        var path = Path.Combine(indexDirectory, "volumes.json");
        var slots = new Dictionary<byte, Guid>();
        if (File.Exists(path))
        {
            try
            {
                var stored = JsonSerializer.Deserialize<Dictionary<string, Guid>>(File.ReadAllText(path));
                foreach (var (slot, id) in stored ?? [])
                {
                    if (byte.TryParse(slot, out var s))
                    {
                        slots[s] = id;
                    }
                }
            }
            catch (JsonException)
            {
                // A damaged table means entries cannot be attributed: they are dropped by reconciliation.
                slots.Clear();
            }
        }

        return new VolumeTable(path, slots);
    }

    /// <summary>The slot of the volume with <paramref name="volumeId"/>, assigning a free one if new.</summary>
    public byte SlotOf(Guid volumeId, ISet<byte> taken)
    {
        foreach (var (slot, id) in _slots)
        {
            if (id == volumeId)
            {
                return slot;
            }
        }

        for (var s = 0; s < 256; s++)
        {
            if (!_slots.ContainsKey((byte)s) && !taken.Contains((byte)s))
            {
                _slots[(byte)s] = volumeId;
                return (byte)s;
            }
        }

        throw new InvalidOperationException("more than 256 cache volumes");
    }

    /// <summary>Keeps only the given slots (volumes no longer configured are forgotten) and saves.</summary>
    public void Retain(IEnumerable<byte> slots)
    {
        var keep = slots.ToHashSet();
        foreach (var slot in _slots.Keys.Where(s => !keep.Contains(s)).ToList())
        {
            _slots.Remove(slot);
        }

        Save();
    }

    public void Save()
    {
        var temp = _path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(_slots.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value)));
        File.Move(temp, _path, overwrite: true);
    }
}
