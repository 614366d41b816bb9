namespace Cdn.Caching.Eviction;

/// <summary>
/// S3-FIFO (Yang et al., SOSP 2023), weighed in bytes: new objects enter a small FIFO (10% of the bytes);
/// those requested again while there move to the main FIFO, the rest leave early and are remembered in a
/// ghost queue so a quick return goes straight to main. Main evicts FIFO with a second chance per hit
/// (2-bit frequency). One-hit wonders — most of a video catalog's long tail — never reach main.
/// </summary>
public sealed class S3FifoPolicy : IEvictionPolicy
{
    private const byte Pinned = 0;
    private const byte Small = 1;
    private const byte Main = 2;
    private const byte MaxFreq = 3;

    private readonly PolicySlab _slab = new();
    private readonly GhostQueue _ghost = new();
    private readonly long _smallTarget;
    private readonly int _moveThreshold;
    private PolicySlab.List _small = PolicySlab.List.Empty;
    private PolicySlab.List _main = PolicySlab.List.Empty;
    private long _pinnedBytes;

    /// <summary>Creates an empty policy.</summary>
    /// <param name="capacity">Bytes held at most.</param>
    /// <param name="smallFraction">Share of the bytes for the small FIFO (paper: 0.1).</param>
    /// <param name="moveThreshold">Hits while in the small FIFO needed to move to main (paper: 1).</param>
    public S3FifoPolicy(long capacity, double smallFraction = 0.1, int moveThreshold = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(smallFraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(smallFraction, 1);
        Capacity = capacity;
        _smallTarget = (long)(capacity * smallFraction);
        _moveThreshold = moveThreshold;
    }

    /// <inheritdoc />
    public string Name => "s3fifo";

    /// <inheritdoc />
    public long Capacity { get; }

    /// <inheritdoc />
    public long UsedBytes => _small.Bytes + _main.Bytes + _pinnedBytes;

    /// <inheritdoc />
    public int Count => _slab.Count;

    /// <inheritdoc />
    public bool Contains(ulong id) => _slab.TryGet(id, out _);

    /// <inheritdoc />
    public void RecordHit(ulong id)
    {
        if (_slab.TryGet(id, out var slot))
        {
            ref var f = ref _slab.Freq(slot);
            if (f < MaxFreq)
            {
                f++;
            }
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

        var toMain = _ghost.Remove(id);
        while (UsedBytes + size > Capacity && (_small.Count > 0 || _main.Count > 0))
        {
            EvictOne(evicted);
        }

        var slot = _slab.Allocate(id, size, toMain ? Main : Small);
        if (toMain)
        {
            _slab.PushHead(ref _main, slot);
        }
        else
        {
            _slab.PushHead(ref _small, slot);
        }

        return true;
    }

    private void EvictOne(List<ulong> evicted)
    {
        if (_small.Bytes >= _smallTarget || _main.Count == 0)
        {
            EvictSmall(evicted);
        }
        else
        {
            EvictMain(evicted);
        }
    }

    private void EvictSmall(List<ulong> evicted)
    {
        while (_small.Tail != PolicySlab.None)
        {
            var t = _small.Tail;
            _slab.Unlink(ref _small, t);
            if (_slab.Freq(t) >= _moveThreshold)
            {
                _slab.Freq(t) = 0;
                _slab.Queue(t) = Main;
                _slab.PushHead(ref _main, t);
                continue; // keep looking for a small object to evict
            }

            _ghost.Add(_slab.Id(t), Math.Max(64, _slab.Count));
            evicted.Add(_slab.Id(t));
            _slab.Free(t);
            return;
        }

        EvictMain(evicted);
    }

    private void EvictMain(List<ulong> evicted)
    {
        while (_main.Tail != PolicySlab.None)
        {
            var t = _main.Tail;
            ref var f = ref _slab.Freq(t);
            if (f > 0)
            {
                f--;
                _slab.MoveToHead(ref _main, t);
                continue;
            }

            _slab.Unlink(ref _main, t);
            evicted.Add(_slab.Id(t));
            _slab.Free(t);
            return;
        }
    }

    /// <inheritdoc />
    public void Remove(ulong id)
    {
        if (!_slab.TryGet(id, out var slot))
        {
            return;
        }

        switch (_slab.Queue(slot))
        {
            case Pinned:
                _pinnedBytes -= _slab.Size(slot);
                break;
            case Small:
                _slab.Unlink(ref _small, slot);
                break;
            default:
                _slab.Unlink(ref _main, slot);
                break;
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
            if (_slab.Queue(slot) == Small)
            {
                _slab.Unlink(ref _small, slot);
            }
            else
            {
                _slab.Unlink(ref _main, slot);
            }

            _slab.Queue(slot) = Pinned;
            _pinnedBytes += _slab.Size(slot);
        }
        else
        {
            // An operator's pin expressed value: the object returns to main, not to probation.
            _pinnedBytes -= _slab.Size(slot);
            _slab.Queue(slot) = Main;
            _slab.PushHead(ref _main, slot);
        }
    }
}
