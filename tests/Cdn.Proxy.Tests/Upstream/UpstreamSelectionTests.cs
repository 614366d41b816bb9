using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Tests.Upstream;

public sealed class UpstreamSelectionTests
{
    private static UpstreamOptions Options(int parents) => new()
    {
        Parents = Enumerable.Range(0, parents).Select(i => new UpstreamServerOptions { Url = $"http://10.0.0.{i + 1}:8080" }).ToList(),
        Origins = [new UpstreamServerOptions { Url = "http://origin.test" }],
        FailuresToMarkDown = 2,
        DownTime = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public void Each_object_goes_to_one_parent_and_losing_a_parent_moves_only_its_objects()
    {
        var three = new UpstreamPool(Options(3), TimeProvider.System);
        var two = new UpstreamPool(new UpstreamOptions { Parents = Options(3).Parents.Take(2).ToList(), Origins = Options(3).Origins }, TimeProvider.System);
        var moved = 0;
        var counts = new Dictionary<string, int>();
        for (ulong key = 1; key <= 30_000; key++)
        {
            var first = three.Order(key * 0x9E3779B97F4A7C15UL)[0].Name;
            counts[first] = counts.GetValueOrDefault(first) + 1;
            var after = two.Order(key * 0x9E3779B97F4A7C15UL)[0].Name;
            if (first != "10.0.0.3:8080")
            {
                Assert.Equal(first, after);
            }
            else
            {
                moved++;
            }
        }

        Assert.All(counts.Values, c => Assert.InRange(c, 9_000, 11_000));
        Assert.InRange(moved, 9_000, 11_000);
    }

    [Fact]
    public void Origins_come_after_every_parent()
    {
        var pool = new UpstreamPool(Options(2), TimeProvider.System);

        var order = pool.Order(42);

        Assert.Equal(["10.0.0.1:8080", "10.0.0.2:8080"], order.Take(2).Select(s => s.Name).Order());
        Assert.Equal("origin.test", order[2].Name);
    }

    [Fact]
    public void A_server_goes_down_after_consecutive_failures_and_one_probe_at_a_time_tests_it_later()
    {
        var time = new FakeTimeProvider();
        var server = new UpstreamPool(Options(1), time).Parents[0];

        server.RecordFailure();
        Assert.Equal(UpstreamHealth.Up, server.Health);
        server.RecordFailure();
        Assert.Equal(UpstreamHealth.Down, server.Health);
        Assert.False(server.TryAcquire());

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(server.TryAcquire());
        Assert.False(server.TryAcquire()); // one probe only
        server.RecordFailure();
        Assert.False(server.TryAcquire()); // down again for another period

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(server.TryAcquire());
        server.RecordSuccess();
        Assert.Equal(UpstreamHealth.Up, server.Health);
        Assert.True(server.TryAcquire());
        Assert.True(server.TryAcquire());
    }

    [Fact]
    public void The_object_hash_is_a_fixed_function_so_every_node_and_process_ranks_parents_alike()
    {
        // Pinned values: a change here moves every object to another shield on a mixed-version upgrade.
        Assert.Equal(ObjectHashReference(""u8), UpstreamPool.ObjectHash(""u8));
        Assert.Equal(ObjectHashReference("cdn.test/t1/720p/seg_00001.m4s"u8), UpstreamPool.ObjectHash("cdn.test/t1/720p/seg_00001.m4s"u8));
        Assert.Equal(0x36b7249a3c791b94UL, UpstreamPool.ObjectHash("shield-a"u8));
    }

    [Fact]
    public void Two_pools_built_apart_rank_the_same_parents_for_every_key()
    {
        var a = new UpstreamPool(Options(3), TimeProvider.System);
        var b = new UpstreamPool(new UpstreamOptions { Parents = Options(3).Parents.AsEnumerable().Reverse().ToList(), Origins = Options(3).Origins }, TimeProvider.System);

        for (var i = 0; i < 1000; i++)
        {
            var key = System.Text.Encoding.UTF8.GetBytes($"cdn.test/t/{i}.m4s");
            Assert.Equal(a.Order(UpstreamPool.ObjectHash(key)).Select(s => s.Name), b.Order(UpstreamPool.ObjectHash(key)).Select(s => s.Name));
        }
    }

    /// <summary>64-bit FNV-1a then MurmurHash3 fmix64, written out independently of the production code.</summary>
    private static ulong ObjectHashReference(ReadOnlySpan<byte> bytes)
    {
        var h = 14695981039346656037UL;
        for (var i = 0; i < bytes.Length; i++)
        {
            h ^= bytes[i];
            h *= 1099511628211UL;
        }

        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        return h ^ (h >> 33);
    }
}
