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
}
