using Cdn.Caching.Eviction;

namespace Cdn.Caching.Tests.Eviction;

public sealed class EvictionPolicyConformanceTests
{
    public static TheoryData<EvictionPolicyKind> Kinds => [EvictionPolicyKind.Lru, EvictionPolicyKind.S3Fifo, EvictionPolicyKind.WTinyLfu];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Held_bytes_never_exceed_capacity_and_match_the_objects_held(EvictionPolicyKind kind)
    {
        const long Capacity = 10_000;
        var policy = EvictionPolicies.Create(kind, Capacity);
        var model = new Dictionary<ulong, long>();
        var random = new Random(42);
        var evicted = new List<ulong>();
        for (var i = 0; i < 50_000; i++)
        {
            var id = (ulong)random.Next(0, 400);
            var size = 1 + (long)(id * 7 % 900);
            if (policy.Contains(id))
            {
                policy.RecordHit(id);
            }
            else if (policy.RecordMiss(id, size))
            {
                evicted.Clear();
                if (policy.Insert(id, size, evicted))
                {
                    model[id] = size;
                }

                foreach (var gone in evicted)
                {
                    Assert.True(model.Remove(gone), $"{gone} evicted but not held");
                }
            }

            if (i % 1000 == 0 && model.Count > 0)
            {
                var victim = model.Keys.First();
                policy.Remove(victim);
                model.Remove(victim);
            }

            Assert.True(policy.UsedBytes <= Capacity, $"{policy.UsedBytes} > {Capacity}");
            Assert.Equal(model.Values.Sum(), policy.UsedBytes);
            Assert.Equal(model.Count, policy.Count);
        }

        foreach (var id in model.Keys)
        {
            Assert.True(policy.Contains(id));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Pinned_objects_are_never_evicted(EvictionPolicyKind kind)
    {
        var policy = EvictionPolicies.Create(kind, 1000);
        var evicted = new List<ulong>();
        policy.RecordMiss(1, 300);
        Assert.True(policy.Insert(1, 300, evicted));
        policy.SetPinned(1, true);

        for (ulong id = 2; id < 500; id++)
        {
            policy.RecordMiss(id, 100);
            policy.Insert(id, 100, evicted);
        }

        Assert.DoesNotContain(1UL, evicted);
        Assert.True(policy.Contains(1));
        Assert.True(policy.UsedBytes <= 1000);

        // Unpinned, it competes again: newcomers that keep being requested displace it.
        policy.SetPinned(1, false);
        for (ulong id = 500; id < 3000; id++)
        {
            policy.RecordMiss(id, 100);
            policy.Insert(id, 100, evicted);
            policy.RecordHit(id);
            policy.RecordHit(id);
        }

        Assert.False(policy.Contains(1));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_object_larger_than_the_room_pins_leave_is_refused(EvictionPolicyKind kind)
    {
        var policy = EvictionPolicies.Create(kind, 1000);
        var evicted = new List<ulong>();
        policy.Insert(1, 800, evicted);
        policy.SetPinned(1, true);

        Assert.False(policy.RecordMiss(2, 5000));
        Assert.False(policy.Insert(2, 300, evicted));
        Assert.True(policy.Contains(1));
    }

    [Fact]
    public void Lru_evicts_the_least_recently_used()
    {
        var policy = new LruPolicy(300);
        var evicted = new List<ulong>();
        policy.Insert(1, 100, evicted);
        policy.Insert(2, 100, evicted);
        policy.Insert(3, 100, evicted);
        policy.RecordHit(1);

        policy.Insert(4, 100, evicted);

        Assert.Equal([2UL], evicted);
    }

    [Fact]
    public void S3fifo_lets_one_hit_wonders_leave_before_objects_requested_twice()
    {
        var policy = new S3FifoPolicy(1000);
        var evicted = new List<ulong>();
        for (ulong id = 1; id <= 10; id++)
        {
            policy.Insert(id, 100, evicted);
        }

        policy.RecordHit(1);
        for (ulong id = 11; id <= 20; id++)
        {
            policy.Insert(id, 100, evicted);
        }

        Assert.True(policy.Contains(1));
        Assert.DoesNotContain(1UL, evicted);
    }

    [Fact]
    public void Wtinylfu_keeps_a_frequently_requested_object_through_a_scan()
    {
        var policy = new WTinyLfuPolicy(2000);
        var evicted = new List<ulong>();
        policy.RecordMiss(1, 100);
        policy.Insert(1, 100, evicted);
        for (var i = 0; i < 20; i++)
        {
            policy.RecordHit(1);
        }

        for (ulong id = 100; id < 1100; id++)
        {
            policy.RecordMiss(id, 100);
            policy.Insert(id, 100, evicted);
        }

        Assert.True(policy.Contains(1));
    }
}
