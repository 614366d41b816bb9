namespace Cdn.Caching.Eviction;

/// <summary>
/// W-TinyLFU (Einziger, Friedman, Manes; Caffeine), weighed in bytes: a small LRU window admits every new
/// object; when the window overflows its oldest object must beat the main space's eviction victims on
/// estimated frequency (count-min sketch over hits and misses) to get in. The main space is a segmented
/// LRU (probation, protected). Frequency decides what stays, so a long tail of one-off requests cannot
/// flush the popular titles — the property that matters for a video catalog's Zipf-like demand.
/// </summary>
public sealed class WTinyLfuPolicy : IEvictionPolicy
{
    private const byte Pinned = 0;
    private const byte Window = 1;
    private const byte Probation = 2;
    private const byte Protected = 3;

    private readonly PolicySlab _slab = new();
    private readonly FrequencySketch _sketch = new(1024);
    private readonly long _windowTarget;
    private readonly long _protectedTarget;
    private readonly List<int> _victims = [];
    private PolicySlab.List _window = PolicySlab.List.Empty;
    private PolicySlab.List _probation = PolicySlab.List.Empty;
    private PolicySlab.List _protected = PolicySlab.List.Empty;
    private long _pinnedBytes;
    private ulong _random = 0x2545F4914F6CDD1DUL;

    /// <summary>Creates an empty policy.</summary>
    /// <param name="capacity">Bytes held at most.</param>
    /// <param name="windowFraction">Share of bytes for the admission window (Caffeine starts at 0.01).</param>
    /// <param name="protectedFraction">Share of the main space that is protected (0.8).</param>
    public WTinyLfuPolicy(long capacity, double windowFraction = 0.01, double protectedFraction = 0.8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _windowTarget = (long)(capacity * windowFraction);
        _protectedTarget = (long)((capacity - _windowTarget) * protectedFraction);
    }

    /// <inheritdoc />
    public string Name => "wtinylfu";

    /// <inheritdoc />
    public long Capacity { get; }

    /// <inheritdoc />
    public long UsedBytes => _window.Bytes + _probation.Bytes + _protected.Bytes + _pinnedBytes;

    /// <inheritdoc />
    public int Count => _slab.Count;

    /// <inheritdoc />
    public bool Contains(ulong id) => _slab.TryGet(id, out _);

    /// <inheritdoc />
    public void RecordHit(ulong id)
    {
        _sketch.Increment(id);
        if (!_slab.TryGet(id, out var slot))
        {
            return;
        }

        switch (_slab.Queue(slot))
        {
            case Window:
                _slab.MoveToHead(ref _window, slot);
                break;
            case Probation:
                _slab.Unlink(ref _probation, slot);
                _slab.Queue(slot) = Protected;
                _slab.PushHead(ref _protected, slot);
                while (_protected.Bytes > _protectedTarget && _protected.Tail != slot)
                {
                    var demoted = _protected.Tail;
                    _slab.Unlink(ref _protected, demoted);
                    _slab.Queue(demoted) = Probation;
                    _slab.PushHead(ref _probation, demoted);
                }

                break;
            case Protected:
                _slab.MoveToHead(ref _protected, slot);
                break;
        }
    }

    /// <inheritdoc />
    public bool RecordMiss(ulong id, long size)
    {
        _sketch.Increment(id);
        return size <= Capacity && size <= PolicySlab.MaxSize;
    }

    /// <inheritdoc />
    public bool Insert(ulong id, long size, List<ulong> evicted)
    {
        ArgumentNullException.ThrowIfNull(evicted);
        if (size > Capacity - _pinnedBytes || size > PolicySlab.MaxSize || _slab.TryGet(id, out _))
        {
            return false;
        }

        _sketch.EnsureCapacity(_slab.Count + 1);
        var slot = _slab.Allocate(id, size, Window);
        _slab.PushHead(ref _window, slot);

        while (_window.Bytes > _windowTarget && _window.Tail != PolicySlab.None)
        {
            var candidate = _window.Tail;
            _slab.Unlink(ref _window, candidate);
            Admit(candidate, evicted);
        }

        // Pins or unpins may have left the main space over its share; trim it.
        while (UsedBytes > Capacity && EvictFromMain(evicted))
        {
        }

        return true;
    }

    private void Admit(int candidate, List<ulong> evicted)
    {
        var size = _slab.Size(candidate);
        var excess = UsedBytes + size - Capacity;
        if (excess <= 0)
        {
            _slab.Queue(candidate) = Probation;
            _slab.PushHead(ref _probation, candidate);
            return;
        }

        // The candidate must beat every victim it would displace.
        var candidateFreq = _sketch.Frequency(_slab.Id(candidate));
        _victims.Clear();
        long freed = 0;
        var victim = _probation.Tail;
        var inProtected = false;
        while (freed < excess)
        {
            if (victim == PolicySlab.None)
            {
                if (inProtected)
                {
                    break;
                }

                inProtected = true;
                victim = _protected.Tail;
                continue;
            }

            if (!Wins(candidateFreq, _sketch.Frequency(_slab.Id(victim))))
            {
                Reject(candidate, evicted);
                return;
            }

            _victims.Add(victim);
            freed += _slab.Size(victim);
            victim = _slab.Previous(victim);
        }

        if (freed < excess)
        {
            Reject(candidate, evicted);
            return;
        }

        foreach (var v in _victims)
        {
            if (_slab.Queue(v) == Probation)
            {
                _slab.Unlink(ref _probation, v);
            }
            else
            {
                _slab.Unlink(ref _protected, v);
            }

            evicted.Add(_slab.Id(v));
            _slab.Free(v);
        }

        _slab.Queue(candidate) = Probation;
        _slab.PushHead(ref _probation, candidate);
    }

    private bool Wins(int candidateFreq, int victimFreq)
    {
        if (candidateFreq > victimFreq)
        {
            return true;
        }

        // Caffeine's guard against an attacker inflating a victim's frequency: a warm candidate gets in
        // now and then at random.
        if (candidateFreq <= 5)
        {
            return false;
        }

        _random ^= _random << 13;
        _random ^= _random >> 7;
        _random ^= _random << 17;
        return (_random & 127) == 0;
    }

    private void Reject(int candidate, List<ulong> evicted)
    {
        evicted.Add(_slab.Id(candidate));
        _slab.Free(candidate);
    }

    private bool EvictFromMain(List<ulong> evicted)
    {
        var victim = _probation.Tail != PolicySlab.None ? _probation.Tail : _protected.Tail;
        if (victim == PolicySlab.None)
        {
            victim = _window.Tail;
            if (victim == PolicySlab.None)
            {
                return false;
            }

            _slab.Unlink(ref _window, victim);
        }
        else if (_slab.Queue(victim) == Probation)
        {
            _slab.Unlink(ref _probation, victim);
        }
        else
        {
            _slab.Unlink(ref _protected, victim);
        }

        evicted.Add(_slab.Id(victim));
        _slab.Free(victim);
        return true;
    }

    /// <inheritdoc />
    public void Remove(ulong id)
    {
        if (!_slab.TryGet(id, out var slot))
        {
            return;
        }

        Detach(slot);
        _slab.Free(slot);
    }

    private void Detach(int slot)
    {
        switch (_slab.Queue(slot))
        {
            case Pinned:
                _pinnedBytes -= _slab.Size(slot);
                break;
            case Window:
                _slab.Unlink(ref _window, slot);
                break;
            case Probation:
                _slab.Unlink(ref _probation, slot);
                break;
            default:
                _slab.Unlink(ref _protected, slot);
                break;
        }
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
            Detach(slot);
            _slab.Queue(slot) = Pinned;
            _pinnedBytes += _slab.Size(slot);
        }
        else
        {
            _pinnedBytes -= _slab.Size(slot);
            _slab.Queue(slot) = Protected;
            _slab.PushHead(ref _protected, slot);
        }
    }
}
