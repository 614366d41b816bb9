using System.Net;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Tests.Functional;

public sealed class ParentErrorTests
{
    [Fact]
    public async Task A_shield_relaying_its_origins_failure_says_so_and_the_edge_does_not_mark_it_down()
    {
        using var dir = new TempDirectory("parenterr");
        await using var origin = await TestOrigin.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            origin.Route($"/e/{i}.m4s", c =>
            {
                c.Response.StatusCode = 503; // this origin lacks these objects
                return Task.CompletedTask;
            });
        }

        origin.Serve("/e/fine.m4s", TestOrigin.Bytes(1000), ("Cache-Control", "max-age=600"));
        await using var shield = await TestShield.StartAsync(Path.Combine(dir.Path, "shield"), [origin.Url], new() { ["Shield:NodeName"] = "shield-a" });
        await using var edge = await TestEdge.StartAsync(Path.Combine(dir.Path, "edge"), [shield.Url], parents: true);

        var failures = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            failures.Add(await edge.Http.GetAsync($"/e/{i}.m4s"));
        }

        Assert.All(failures, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode)); // the origin's status, relayed by shield and edge
        Assert.All(failures, r => Assert.StartsWith("edge-test; error=destination_unavailable", r.Headers.GetValues("Proxy-Status").Single(), StringComparison.Ordinal));
        Assert.Equal(UpstreamHealth.Up, edge.Upstreams.Parents[0].Health);
        Assert.Equal(HttpStatusCode.OK, (await edge.Http.GetAsync("/e/fine.m4s")).StatusCode);
        var direct = await shield.Http.GetAsync("/e/0.m4s");
        Assert.StartsWith("shield-a; error=destination_unavailable; details=\"upstream answered 503\"", direct.Headers.GetValues("Proxy-Status").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parent_answering_5xx_on_its_own_account_is_marked_down()
    {
        using var dir = new TempDirectory("parenterr");
        await using var sick = await TestOrigin.StartAsync();
        sick.RouteAll(c =>
        {
            c.Response.StatusCode = 503; // no Proxy-Status: the parent itself is failing
            return Task.CompletedTask;
        });
        await using var edge = await TestEdge.StartAsync(dir.Path, [sick.Url], new() { ["Edge:Upstreams:DownTime"] = "00:10:00" }, parents: true);

        for (var i = 0; i < 3; i++)
        {
            await edge.Http.GetAsync($"/e/{i}.m4s");
        }

        Assert.Equal(UpstreamHealth.Down, edge.Upstreams.Parents[0].Health);
    }
}
