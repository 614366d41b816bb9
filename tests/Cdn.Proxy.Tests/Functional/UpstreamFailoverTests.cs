using System.Net;

namespace Cdn.Proxy.Tests.Functional;

public sealed class UpstreamFailoverTests
{
    [Fact]
    public async Task Objects_fail_over_to_the_next_parent_when_theirs_is_down_then_to_the_origin()
    {
        using var dir = new TempDirectory("failover");
        await using var parentA = await TestOrigin.StartAsync();
        await using var parentB = await TestOrigin.StartAsync();
        var paths = Enumerable.Range(0, 20).Select(i => $"/t/{i}.m4s").ToList();
        foreach (var path in paths)
        {
            parentA.Serve(path, TestOrigin.Bytes(100, path.Length), ("Cache-Control", "max-age=600"));
            parentB.Serve(path, TestOrigin.Bytes(100, path.Length), ("Cache-Control", "max-age=600"));
        }

        var deadPort = FreePort.Tcp();
        await using var edge = await TestEdge.StartAsync(dir.Path, [parentA.Url, parentB.Url, $"http://127.0.0.1:{deadPort}"], parents: true);

        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.OK, (await edge.Http.GetAsync(path)).StatusCode);
        }

        // Both parents took a share (rendezvous hashing), each object went to exactly one.
        Assert.True(paths.Sum(parentA.Hits) is > 0 and < 20);
        Assert.All(paths, p => Assert.Equal(1, parentA.Hits(p) + parentB.Hits(p)));
    }

    [Fact]
    public async Task A_dead_parent_is_skipped_and_its_objects_are_served_by_the_next()
    {
        using var dir = new TempDirectory("failover");
        await using var parentB = await TestOrigin.StartAsync();
        // Enough objects that the dead parent ranks first for at least FailuresToMarkDown (3) of them, whatever its port.
        var paths = Enumerable.Range(0, 30).Select(i => $"/u/{i}.m4s").ToList();
        foreach (var path in paths)
        {
            parentB.Serve(path, TestOrigin.Bytes(100), ("Cache-Control", "max-age=600"));
        }

        var dead = $"http://127.0.0.1:{FreePort.Tcp()}";
        await using var edge = await TestEdge.StartAsync(dir.Path, [dead, parentB.Url], parents: true);

        var statuses = new List<HttpStatusCode>();
        foreach (var path in paths)
        {
            statuses.Add((await edge.Http.GetAsync(path)).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(30, paths.Sum(parentB.Hits));
        var pool = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Cdn.Proxy.Upstream.UpstreamPool>(edge.Services);
        Assert.Equal(Cdn.Proxy.Upstream.UpstreamHealth.Down, pool.Parents.Single(p => p.BaseUri.ToString().TrimEnd('/') == dead).Health);
    }

    [Fact]
    public async Task A_parent_answering_503_is_failed_over()
    {
        using var dir = new TempDirectory("failover");
        await using var sick = await TestOrigin.StartAsync();
        await using var well = await TestOrigin.StartAsync();
        sick.Route("/v/x.m4s", c =>
        {
            c.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        well.Serve("/v/x.m4s", TestOrigin.Bytes(100), ("Cache-Control", "max-age=600"));
        await using var edge = await TestEdge.StartAsync(dir.Path, [sick.Url, well.Url], parents: true);

        var response = await edge.Http.GetAsync("/v/x.m4s");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, well.Hits("/v/x.m4s"));
    }
}
