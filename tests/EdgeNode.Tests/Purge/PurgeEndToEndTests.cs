using System.Text.Json.Nodes;
using Cdn.ControlPlane.Cli.Tests.Support;
using Cdn.ControlPlane.Tests.Support;
using EdgeNode.Tests.Support;

namespace EdgeNode.Tests.Purge;

/// <summary>
/// A purge through <c>edgectl purge</c> against real edges and a real shield: when it completes no node serves the
/// old object — including an edge that was down when the purge started and came back with the old object on disk.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class PurgeEndToEndTests
{
    private static JsonObject NoFill() => new() { ["Enabled"] = false };

    [Fact]
    public async Task After_a_purge_completes_no_edge_or_shield_serves_the_old_object_not_even_one_that_was_down()
    {
        await using var site = await CdnSite.StartAsync();
        var titles = site.WriteTitles(1, segments: 2);
        var a = await site.StartEdgeAsync("edge-a", new ShiftedTimeProvider(), NoFill());
        var b = await site.StartEdgeAsync("edge-b", new ShiftedTimeProvider(), NoFill());
        const string Path = "/t1/720p/seg_00000.m4s";
        const string Sibling = "/t1/720p/seg_00001.m4s";
        var old = await File.ReadAllBytesAsync(site.OriginRoot + Path);
        foreach (var edge in new[] { a, b })
        {
            using var first = await edge.GetAsync(Path);
            Assert.Equal(old, await first.Content.ReadAsByteArrayAsync());
            (await edge.GetAsync(Sibling)).Dispose();
        }

        await Eventually.HoldsAsync(async () => (await site.ControlPlane.Client.ListNodesAsync()).Count(n => n.AdminUrl is not null) == 3,
            TimeSpan.FromSeconds(30), "shield and edges registered with their admin URLs");

        // Edge B goes down with the old object in its cache; the origin publishes a new version.
        var (httpB, adminB) = (b.HttpPort, b.AdminPort);
        await site.StopEdgeAsync(b);
        var fresh = TestBytes(old.Length);
        await File.WriteAllBytesAsync(site.OriginRoot + Path, fresh);

        var started = await Ctl(site, "purge", $"https://{CdnSite.Host}{Path}", "--json", "--timeout", "00:00:03");
        Assert.Equal(7, started.Exit); // timed out waiting: edge B is down
        var status = JsonNode.Parse(started.Out)!;
        var id = status["purgeId"]!.GetValue<string>();
        var nodes = status["nodes"]!.AsArray().ToDictionary(n => n!["nodeId"]!.GetValue<string>(), n => n!);
        Assert.True(nodes["shield-1"]["done"]!.GetValue<bool>() && nodes["edge-a"]["done"]!.GetValue<bool>());
        Assert.False(nodes["edge-b"]["done"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(nodes["edge-b"]["lastError"]?.GetValue<string>()));
        using (var fromA = await a.GetAsync(Path))
        {
            Assert.Equal(fresh, await fromA.Content.ReadAsByteArrayAsync());
        }

        // Edge B comes back (same cache on disk): the control plane purges it as soon as it registers.
        b = await site.StartEdgeAsync("edge-b", new ShiftedTimeProvider(), NoFill(), httpB, adminB);
        var done = await Ctl(site, "purge", "--id", id, "--json", "--timeout", "00:00:30");
        Assert.True(done.Exit == 0, done.ToString());
        Assert.True(JsonNode.Parse(done.Out)!["complete"]!.GetValue<bool>());

        foreach (var edge in new[] { a, b })
        {
            using var response = await edge.GetAsync(Path);
            Assert.Equal(fresh, await response.Content.ReadAsByteArrayAsync());
            Assert.NotNull(edge.Stored(Sibling)); // a URL purge removes that URL only
        }

        using var shield = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(site.ShieldUrl, Path.TrimStart('/')));
        request.Headers.Host = CdnSite.Host;
        using var fromShield = await shield.SendAsync(request);
        Assert.Equal(fresh, await fromShield.Content.ReadAsByteArrayAsync());

        // A prefix purge empties the title on every node.
        var prefix = await Ctl(site, "purge", $"{CdnSite.Host}/t1/", "--prefix", "--json", "--timeout", "00:00:30");
        Assert.True(prefix.Exit == 0, prefix.ToString());
        Assert.All(new[] { a, b }, e => Assert.Null(e.Stored(Sibling)));
    }

    private static byte[] TestBytes(int length)
    {
        var bytes = new byte[length];
        new Random(99).NextBytes(bytes);
        return bytes;
    }

    private static Task<EdgeCtl.Result> Ctl(CdnSite site, params string[] args) => EdgeCtl.RunAgainstAsync(site.ControlPlane.ApiBase, ControlPlaneHost.Token, args);
}
