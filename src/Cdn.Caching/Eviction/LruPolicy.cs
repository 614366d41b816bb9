namespace Cdn.Caching.Eviction;

/// <summary>Size-aware least-recently-used: the baseline every other policy is measured against.</summary>
public sealed class LruPolicy : IEvictionPolicy
{
    private const byte Pinned = 0;
    private const byte Main = 1;

    private readonly PolicySlab _slab = new();
    private PolicySlab.List _list = PolicySlab.List.Empty;
    private long _pinnedBytes;

    /// <summary>Creates an empty policy holding up to <paramref name="capacity"/> bytes.</summary>
    public LruPolicy(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    /// <inheritdoc />
    public string Name => "lru";

    /// <inheritdoc />
    public long Capacity { get; }

    /// <inheritdoc />
    public long UsedBytes => _list.Bytes + _pinnedBytes;

    /// <inheritdoc />
    public int Count => _slab.Count;

    /// <inheritdoc />
    public bool Contains(ulong id) => _slab.TryGet(id, out _);

    /// <inheritdoc />
    public void RecordHit(ulong id)
    {
        if (_slab.TryGet(id, out var slot) && _slab.Queue(slot) == Main)
        {
            _slab.MoveToHead(ref _list, slot);
        }
    }

    /// <inheritdoc />
    public bool RecordMiss(ulong id, long size) => size <= Capacity && size <= PolicySlab.MaxSize;

    /// <inheritdoc />
    public bool Insert(ulong id, long size, List<ulong> evicted)
    {
        ArgumentNullException.ThrowIfNull(evicted);
        if (size > Capacity - _pinnedBytes || size > PolicySlab.MaxSize || _slab.TryGet(id, out _))
        {
            return false;
        }

        while (UsedBytes + size > Capacity && _list.Tail != PolicySlab.None)
        {
            var victim = _list.Tail;
            _slab.Unlink(ref _list, victim);
            evicted.Add(_slab.Id(victim));
            _slab.Free(victim);
        }

        var slot = _slab.Allocate(id, size, Main);
        _slab.PushHead(ref _list, slot);
        return true;
    }

    /// <inheritdoc />
    public void Remove(ulong id)
    {
        if (!_slab.TryGet(id, out var slot))
        {
            return;
        }

        if (_slab.Queue(slot) == Pinned)
        {
            _pinnedBytes -= _slab.Size(slot);
        }
        else
        {
            _slab.Unlink(ref _list, slot);
        }

        _slab.Free(slot);
    }

    /// <inheritdoc />
    public void SetPinned(ulong id, bool pinned)
    {
        if (!_slab.TryGet(id, out var slot) || (_slab.Queue(slot) == Pinned) == pinned)
        {
            return;
        }

        if (pinned)
        {
            _slab.Unlink(ref _list, slot);
            _slab.Queue(slot) = Pinned;
            _pinnedBytes += _slab.Size(slot);
        }
        else
        {
            _pinnedBytes -= _slab.Size(slot);
            _slab.Queue(slot) = Main;
            _slab.PushHead(ref _list, slot);
        }
    }
}
