using System.Net;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Tests.Functional;

public sealed class ActiveHealthCheckTests
{
    // Probes every 500 ms; a probe may take its whole interval, so a loaded machine does not fail a live origin.
    private static Dictionary<string, string?> Checks() => new()
    {
        ["Edge:Upstreams:HealthCheck:Path"] = "/health",
        ["Edge:Upstreams:HealthCheck:Method"] = "GET",
        ["Edge:Upstreams:HealthCheck:Interval"] = "00:00:00.500",
        ["Edge:Upstreams:HealthCheck:Timeout"] = "00:00:00.500",
        ["Edge:Upstreams:HealthCheck:ExpectedStatus"] = "200",
        ["Edge:Upstreams:HealthCheck:UnhealthyThreshold"] = "2",
        ["Edge:Upstreams:HealthCheck:HealthyThreshold"] = "2",
        ["Edge:Upstreams:DownTime"] = "00:10:00", // so only the probes can bring an origin back within the test
    };

    [Fact]
    public async Task An_origin_failing_its_probes_is_skipped_without_a_live_request_and_comes_back_when_they_pass()
    {
        using var dir = new TempDirectory("active");
        await using var primary = await TestOrigin.StartAsync();
        await using var secondary = await TestOrigin.StartAsync();
        var healthy = true;
        primary.Route("/health", c =>
        {
            c.Response.StatusCode = Volatile.Read(ref healthy) ? 200 : 503;
            return Task.CompletedTask;
        });
        secondary.Route("/health", _ => Task.CompletedTask);
        foreach (var origin in new[] { primary, secondary })
        {
            for (var i = 0; i < 3; i++)
            {
                origin.Serve($"/a/{i}.m4s", TestOrigin.Bytes(1000, i), ("Cache-Control", "max-age=600"));
            }
        }

        await using var edge = await TestEdge.StartAsync(dir.Path, [primary.Url, secondary.Url], Checks());
        var server = edge.Upstreams.Origins[0];

        Volatile.Write(ref healthy, false);
        await Until(() => server.Health == UpstreamHealth.Down, "the primary to fail its probes");
        Assert.Equal(HttpStatusCode.OK, (await edge.Http.GetAsync("/a/0.m4s")).StatusCode);
        Assert.Equal(0, primary.Hits("/a/0.m4s")); // never tried: the probes had taken it down
        Assert.Equal(1, secondary.Hits("/a/0.m4s"));
        var metrics = await edge.Admin.GetStringAsync("/metrics");
        Assert.Contains($"cdn_upstream_health{{role=\"origin\",service=\"edge\",state=\"down\",upstream=\"{server.Name}\"}} 1", metrics);
        Assert.Matches($"cdn_upstream_health_checks_total\\{{result=\"fail\",service=\"edge\",upstream=\"{server.Name}\"\\}} [1-9]", metrics);

        Volatile.Write(ref healthy, true);
        await Until(() => server.Health == UpstreamHealth.Up, "the primary to pass its probes again");
        Assert.Equal(HttpStatusCode.OK, (await edge.Http.GetAsync("/a/1.m4s")).StatusCode);
        Assert.Equal(1, primary.Hits("/a/1.m4s"));
        Assert.Equal(0, secondary.Hits("/a/1.m4s"));
    }

    [Fact]
    public async Task An_origin_that_refuses_connections_is_found_down_by_its_probes()
    {
        using var dir = new TempDirectory("active");
        await using var live = await TestOrigin.StartAsync();
        live.Route("/health", _ => Task.CompletedTask);
        var dead = $"http://127.0.0.1:{FreePort.Tcp()}";

        await using var edge = await TestEdge.StartAsync(dir.Path, [dead, live.Url], Checks());

        await Until(() => edge.Upstreams.Origins[0].Health == UpstreamHealth.Down, "the dead origin to be marked down");
        var checks = edge.Upstreams.Origins[1];
        var probesBefore = live.Hits("/health");
        await Until(() => live.Hits("/health") >= probesBefore + 3, "more probes of the live origin");
        Assert.Equal(UpstreamHealth.Up, checks.Health);
    }

    [Fact]
    public async Task A_parent_whose_health_url_fails_is_skipped_without_a_live_request()
    {
        using var dir = new TempDirectory("active");
        await using var parentA = await TestOrigin.StartAsync();
        await using var parentB = await TestOrigin.StartAsync();
        parentA.Route("/ready", c =>
        {
            c.Response.StatusCode = 503; // e.g. draining
            return Task.CompletedTask;
        });
        parentB.Route("/ready", _ => Task.CompletedTask);
        var paths = Enumerable.Range(0, 10).Select(i => $"/p/{i}.m4s").ToList();
        foreach (var path in paths)
        {
            parentA.Serve(path, TestOrigin.Bytes(100), ("Cache-Control", "max-age=600"));
            parentB.Serve(path, TestOrigin.Bytes(100), ("Cache-Control", "max-age=600"));
        }

        await using var edge = await TestEdge.StartAsync(dir.Path, [parentA.Url, parentB.Url], new()
        {
            ["Edge:Upstreams:Parents:0:HealthCheckUrl"] = $"{parentA.Url}/ready",
            ["Edge:Upstreams:Parents:1:HealthCheckUrl"] = $"{parentB.Url}/ready",
            ["Edge:Upstreams:HealthCheck:Method"] = "GET",
            ["Edge:Upstreams:HealthCheck:Interval"] = "00:00:00.500",
            ["Edge:Upstreams:HealthCheck:Timeout"] = "00:00:00.500",
        }, parents: true);

        await Until(() => edge.Upstreams.Parents[0].Health == UpstreamHealth.Down, "parent A to fail its probes");
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.OK, (await edge.Http.GetAsync(path)).StatusCode);
        }

        Assert.Equal(0, paths.Sum(parentA.Hits));
        Assert.Equal(10, paths.Sum(parentB.Hits));
        Assert.Equal(UpstreamHealth.Up, edge.Upstreams.Parents[1].Health);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
