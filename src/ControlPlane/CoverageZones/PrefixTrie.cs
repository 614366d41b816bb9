namespace Cdn.ControlPlane.CoverageZones;

/// <summary>
/// A binary trie over address bits (IPv4 in the top 32 bits of a <see cref="UInt128"/>, IPv6 in all 128)
/// for longest-prefix match. Built once, then read concurrently without locks: nodes are parallel int
/// arrays, so a lookup is at most 128 array reads and allocates nothing.
/// </summary>
internal sealed class PrefixTrie
{
    private int[] _zero = new int[64];
    private int[] _one = new int[64];
    private int[] _value = new int[64];
    private int _count;

    public PrefixTrie(int addressBits)
    {
        AddressBits = addressBits;
        _count = 1;
        _value[0] = -1;
    }

    /// <summary>32 or 128.</summary>
    public int AddressBits { get; }

    /// <summary>Prefixes stored.</summary>
    public int PrefixCount { get; private set; }

    /// <summary>Stores <paramref name="value"/> for the prefix; returns the value already there, or -1.</summary>
    public int Add(UInt128 address, int length, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, AddressBits);
        var node = 0;
        for (var depth = 0; depth < length; depth++)
        {
            var bit = Bit(address, depth);
            var next = bit == 0 ? _zero[node] : _one[node];
            if (next == 0)
            {
                next = NewNode();
                if (bit == 0)
                {
                    _zero[node] = next;
                }
                else
                {
                    _one[node] = next;
                }
            }

            node = next;
        }

        var previous = _value[node];
        if (previous < 0)
        {
            _value[node] = value;
            PrefixCount++;
        }

        return previous;
    }

    /// <summary>Longest prefix containing the first <paramref name="limit"/> bits of <paramref name="address"/>.</summary>
    public PrefixMatch Lookup(UInt128 address, int limit)
    {
        if (limit > AddressBits)
        {
            limit = AddressBits;
        }

        var node = 0;
        var value = _value[0];
        var matched = value >= 0 ? 0 : -1;
        var depth = 0;
        while (true)
        {
            var zero = _zero[node];
            var one = _one[node];
            if ((zero | one) == 0)
            {
                // A leaf: nothing more specific anywhere below, the match alone decides.
                return new PrefixMatch(value, matched, Math.Max(matched, 0));
            }

            if (depth == limit)
            {
                return new PrefixMatch(value, matched, limit);
            }

            var next = Bit(address, depth) == 0 ? zero : one;
            if (next == 0)
            {
                // More specific prefixes exist beside this path: the first depth+1 bits decided.
                return new PrefixMatch(value, matched, depth + 1);
            }

            node = next;
            depth++;
            if (_value[node] >= 0)
            {
                value = _value[node];
                matched = depth;
            }
        }
    }

    private static int Bit(UInt128 address, int depth) => (int)(address >> (127 - depth)) & 1;

    private int NewNode()
    {
        if (_count == _zero.Length)
        {
            Array.Resize(ref _zero, _count * 2);
            Array.Resize(ref _one, _count * 2);
            Array.Resize(ref _value, _count * 2);
        }

        _value[_count] = -1;
        return _count++;
    }
}
