using System.Net;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Tests.Functional;

public sealed class AllUpstreamsDownTests
{
    [Fact]
    public async Task When_passive_health_holds_every_origin_down_requests_still_try_them_instead_of_failing_outright()
    {
        using var dir = new TempDirectory("alldown");
        await using var origin = await TestOrigin.StartAsync();
        origin.Route("/d/missing.m4s", c =>
        {
            c.Response.StatusCode = 503; // e.g. a mirror that lacks this object
            return Task.CompletedTask;
        });
        origin.Serve("/d/present.m4s", TestOrigin.Bytes(500), ("Cache-Control", "max-age=600"));
        await using var edge = await TestEdge.StartAsync(dir.Path, [origin.Url], new() { ["Edge:Upstreams:DownTime"] = "00:10:00" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await edge.Http.GetAsync($"/d/missing.m4s?i={i}")).StatusCode);
        }

        Assert.Equal(UpstreamHealth.Down, edge.Upstreams.Origins[0].Health);
        var response = await edge.Http.GetAsync("/d/present.m4s");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(UpstreamHealth.Up, edge.Upstreams.Origins[0].Health);
    }

    [Fact]
    public async Task An_origin_held_down_by_its_probes_is_not_tried_even_when_nothing_else_is_up()
    {
        using var dir = new TempDirectory("alldown");
        await using var origin = await TestOrigin.StartAsync();
        origin.Route("/health", c =>
        {
            c.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        origin.Serve("/d/x.m4s", TestOrigin.Bytes(500), ("Cache-Control", "max-age=600"));
        await using var edge = await TestEdge.StartAsync(dir.Path, [origin.Url], new()
        {
            ["Edge:Upstreams:HealthCheck:Path"] = "/health",
            ["Edge:Upstreams:HealthCheck:Interval"] = "00:00:00.300",
            ["Edge:Upstreams:HealthCheck:Timeout"] = "00:00:00.300",
            ["Edge:Upstreams:HealthCheck:UnhealthyThreshold"] = "1",
        });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!edge.Upstreams.Origins[0].ProbesHoldDown)
        {
            Assert.True(DateTime.UtcNow < deadline, "the probe never failed");
            await Task.Delay(50);
        }

        var response = await edge.Http.GetAsync("/d/x.m4s");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, origin.Hits("/d/x.m4s"));
    }
}
