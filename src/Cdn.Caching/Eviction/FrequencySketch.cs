using System.Numerics;

namespace Cdn.Caching.Eviction;

/// <summary>
/// Count-min sketch of request frequency with 4-bit counters (four hash rows packed sixteen counters to a
/// long) and periodic halving, as in Caffeine's TinyLFU: popularity ages, so yesterday's hit does not
/// outweigh today's. Sized to the number of objects held; grows with it.
/// </summary>
internal sealed class FrequencySketch
{
    private static readonly ulong[] Seeds = [0xc3a5c85c97cb3127UL, 0xb492b66fbe98f273UL, 0x9ae16a3b2f90404fUL, 0xcbf29ce484222325UL];
    private const long ResetMask = 0x7777777777777777L;

    private long[] _table = [];
    private int _mask;
    private int _sampleSize;
    private int _additions;

    public FrequencySketch(int expectedEntries) => EnsureCapacity(expectedEntries);

    public int Width => _table.Length;

    /// <summary>Grows the table when the cache holds more objects than it was sized for (history is reset).</summary>
    public void EnsureCapacity(int entries)
    {
        var width = (int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((uint)Math.Max(entries, 64)));
        if (width <= _table.Length)
        {
            return;
        }

        _table = new long[width];
        _mask = width - 1;
        _sampleSize = 10 * width;
        _additions = 0;
    }

    public int Frequency(ulong id)
    {
        var min = int.MaxValue;
        for (var i = 0; i < 4; i++)
        {
            var h = Rehash(id, i);
            var index = (int)(h & (uint)_mask);
            var shift = (int)((h >> 32) & 15) << 2;
            var count = (int)((_table[index] >>> shift) & 0xF);
            min = Math.Min(min, count);
        }

        return min;
    }

    public void Increment(ulong id)
    {
        var added = false;
        for (var i = 0; i < 4; i++)
        {
            var h = Rehash(id, i);
            var index = (int)(h & (uint)_mask);
            var shift = (int)((h >> 32) & 15) << 2;
            var mask = 0xFL << shift;
            if ((_table[index] & mask) != mask)
            {
                _table[index] += 1L << shift;
                added = true;
            }
        }

        if (added && ++_additions >= _sampleSize)
        {
            Reset();
        }
    }

    private void Reset()
    {
        for (var i = 0; i < _table.Length; i++)
        {
            _table[i] = (_table[i] >>> 1) & ResetMask;
        }

        _additions /= 2;
    }

    private static ulong Rehash(ulong id, int row)
    {
        var h = (id ^ Seeds[row]) * 0x9E3779B97F4A7C15UL;
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 32);
    }
}
