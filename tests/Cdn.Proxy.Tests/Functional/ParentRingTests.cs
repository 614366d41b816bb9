using System.Net;

namespace Cdn.Proxy.Tests.Functional;

public sealed class ParentRingTests
{
    [Fact]
    public async Task Every_edge_sends_an_object_to_the_same_parent()
    {
        using var dir = new TempDirectory("ring");
        var parents = new List<TestOrigin>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                parents.Add(await TestOrigin.StartAsync());
            }

            var paths = Enumerable.Range(0, 30).Select(i => $"/r/{i}.m4s").ToList();
            foreach (var parent in parents)
            {
                foreach (var path in paths)
                {
                    parent.Serve(path, TestOrigin.Bytes(100), ("Cache-Control", "max-age=600"));
                }
            }

            var urls = parents.Select(p => p.Url).ToList();
            // Each edge has its own cache key secret; the listed order differs too.
            await using var edgeA = await TestEdge.StartAsync(Path.Combine(dir.Path, "a"), urls, parents: true);
            await using var edgeB = await TestEdge.StartAsync(Path.Combine(dir.Path, "b"), urls.AsEnumerable().Reverse(), parents: true);

            foreach (var path in paths)
            {
                Assert.Equal(HttpStatusCode.OK, (await edgeA.Http.GetAsync(path)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await edgeB.Http.GetAsync(path)).StatusCode);
            }

            Assert.All(paths, p => Assert.Equal(2, parents.Sum(parent => parent.Hits(p)))); // both edges' fills...
            Assert.All(paths, p => Assert.Single(parents, parent => parent.Hits(p) > 0)); // ...went to one parent
            Assert.All(parents, parent => Assert.InRange(paths.Sum(parent.Hits), 1, 59)); // and the ring spreads the load
        }
        finally
        {
            foreach (var parent in parents)
            {
                await parent.DisposeAsync();
            }
        }
    }
}
