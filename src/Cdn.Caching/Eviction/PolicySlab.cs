namespace Cdn.Caching.Eviction;

/// <summary>
/// Compact per-object policy state in parallel arrays (no object per entry): id, size, links of the
/// doubly-linked queue the object is in, which queue, and a small frequency counter. About 34 bytes per
/// object plus the id→slot map, which matters at tens of millions of objects.
/// </summary>
internal sealed class PolicySlab
{
    public const int None = -1;

    private readonly Dictionary<ulong, int> _slots;
    private ulong[] _ids;
    private long[] _sizes;
    private int[] _prev;
    private int[] _next;
    private byte[] _queue;
    private byte[] _freq;
    private int _freeHead = None;
    private int _high;

    public PolicySlab(int initialCapacity = 1024)
    {
        _slots = new Dictionary<ulong, int>(initialCapacity);
        _ids = new ulong[initialCapacity];
        _sizes = new long[initialCapacity];
        _prev = new int[initialCapacity];
        _next = new int[initialCapacity];
        _queue = new byte[initialCapacity];
        _freq = new byte[initialCapacity];
    }

    public int Count => _slots.Count;

    public bool TryGet(ulong id, out int slot) => _slots.TryGetValue(id, out slot);

    public ulong Id(int slot) => _ids[slot];

    public long Size(int slot) => _sizes[slot];

    public ref byte Queue(int slot) => ref _queue[slot];

    public ref byte Freq(int slot) => ref _freq[slot];

    public int Allocate(ulong id, long size, byte queue)
    {
        int slot;
        if (_freeHead != None)
        {
            slot = _freeHead;
            _freeHead = _next[slot];
        }
        else
        {
            if (_high == _ids.Length)
            {
                Grow();
            }

            slot = _high++;
        }

        _ids[slot] = id;
        _sizes[slot] = size;
        _prev[slot] = None;
        _next[slot] = None;
        _queue[slot] = queue;
        _freq[slot] = 0;
        _slots.Add(id, slot);
        return slot;
    }

    public void Free(int slot)
    {
        _slots.Remove(_ids[slot]);
        _next[slot] = _freeHead;
        _freeHead = slot;
    }

    private void Grow()
    {
        var size = _ids.Length * 2;
        Array.Resize(ref _ids, size);
        Array.Resize(ref _sizes, size);
        Array.Resize(ref _prev, size);
        Array.Resize(ref _next, size);
        Array.Resize(ref _queue, size);
        Array.Resize(ref _freq, size);
    }

    /// <summary>A doubly-linked queue of slots with its byte total; head is most recent.</summary>
    public struct List
    {
        public int Head;
        public int Tail;
        public long Bytes;
        public int Count;

        public static List Empty => new() { Head = None, Tail = None };
    }

    public void PushHead(ref List list, int slot)
    {
        _prev[slot] = None;
        _next[slot] = list.Head;
        if (list.Head != None)
        {
            _prev[list.Head] = slot;
        }

        list.Head = slot;
        if (list.Tail == None)
        {
            list.Tail = slot;
        }

        list.Bytes += _sizes[slot];
        list.Count++;
    }

    public void Unlink(ref List list, int slot)
    {
        var p = _prev[slot];
        var n = _next[slot];
        if (p != None)
        {
            _next[p] = n;
        }
        else
        {
            list.Head = n;
        }

        if (n != None)
        {
            _prev[n] = p;
        }
        else
        {
            list.Tail = p;
        }

        _prev[slot] = None;
        _next[slot] = None;
        list.Bytes -= _sizes[slot];
        list.Count--;
    }

    public int Previous(int slot) => _prev[slot];

    public void MoveToHead(ref List list, int slot)
    {
        if (list.Head == slot)
        {
            return;
        }

        Unlink(ref list, slot);
        PushHead(ref list, slot);
    }
}
