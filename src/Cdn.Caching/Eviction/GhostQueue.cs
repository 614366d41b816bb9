namespace Cdn.Caching.Eviction;

/// <summary>
/// A FIFO of recently evicted ids without their data (S3-FIFO's ghost queue): membership only, bounded in
/// count, oldest forgotten first.
/// </summary>
internal sealed class GhostQueue
{
    private readonly Dictionary<ulong, long> _members = [];
    private readonly Queue<(ulong Id, long Seq)> _order = new();
    private long _seq;

    public int Count => _members.Count;

    public bool Remove(ulong id) => _members.Remove(id);

    public void Add(ulong id, int limit)
    {
        _members[id] = ++_seq;
        _order.Enqueue((id, _seq));
        while (_members.Count > limit && _order.Count > 0)
        {
            var (old, seq) = _order.Dequeue();
            if (_members.TryGetValue(old, out var current) && current == seq)
            {
                _members.Remove(old);
            }
        }

        // Drop stale queue slots of ids removed or re-added, so the queue stays proportional to the set.
        while (_order.Count > 2 * Math.Max(limit, 16) && _order.TryPeek(out var head)
               && (!_members.TryGetValue(head.Id, out var s) || s != head.Seq))
        {
            _order.Dequeue();
        }
    }
}
