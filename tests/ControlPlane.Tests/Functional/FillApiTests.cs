using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cdn.Contracts;
using Cdn.Contracts.Catalog;
using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Purge;
using Cdn.ControlPlane.Tests.Support;
using Cdn.NodeAgent;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>The catalog, fill plan, pin, progress and stats routes against the real control plane.</summary>
public sealed class FillApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync(c =>
    {
        c["Health"]!["HeartbeatInterval"] = "00:01:00";
        var ams = c["Registry"]!["Sites"]![0]!.AsObject();
        ams["FillWindow"] = new JsonObject { ["Start"] = "02:00", ["End"] = "14:00", ["TimeZone"] = "Europe/Amsterdam" };
        c["Fill"] = new JsonObject { ["Replicas"] = 1, ["RateCapBytesPerSecond"] = 5_000_000 };
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ControlPlaneClient Client => _host.Client;

    public static TitlePublished Title(string id, int segments = 4, long segmentBytes = 100_000, DateTimeOffset? release = null)
    {
        var objects = new List<CatalogObject> { new($"{id}/master.m3u8", 500) };
        foreach (var r in new[] { "720p", "360p" })
        {
            objects.Add(new CatalogObject($"{id}/{r}/index.m3u8", 300));
            objects.AddRange(Enumerable.Range(0, segments).Select(s => new CatalogObject($"{id}/{r}/seg_{s:00000}.m4s", segmentBytes)));
        }

        return new TitlePublished(id, $"{id}/master.m3u8", release, segments * 6,
            [new RenditionInfo("720p", 1280, 720, 3_000_000, "avc1.64001f", "720p/index.m3u8"), new RenditionInfo("360p", 640, 360, 800_000, "avc1.42e01e", "360p/index.m3u8")], objects);
    }

    private static NodeHeartbeat Heartbeat(string id, long capacity, IReadOnlyList<ObjectPopularity>? popularity = null)
        => new(id, DateTimeOffset.UtcNow, new NodeHealthReport(true, 1, 1, capacity, 0, []), new NodeLoadReport(1.5, 10, 100),
            new CacheStatsReport(10, 1000, capacity, 100, 90, 1_000_000, 100_000), popularity);

    private async Task RegisterEdgeAsync(string id, long capacity = 10_000_000)
    {
        await Client.RegisterAsync(new NodeRegistration(id, NodeRole.Edge, "ams", ["10.1.0.1"], 10, null, "test", new Uri($"http://10.1.0.{id[^1]}:80/")));
        await Client.HeartbeatAsync(Heartbeat(id, capacity));
    }

    [Fact]
    public async Task A_published_title_is_listed_and_its_object_list_served_back()
    {
        var summary = await Client.PublishTitleAsync(Title("t1"));

        Assert.Equal(("t1", 11, 2), (summary.TitleId, summary.Objects, summary.Renditions));
        Assert.Equal(500 + 300 + 300 + (8 * 100_000), summary.Bytes);
        Assert.Contains(await Client.ListTitlesAsync(), t => t.TitleId == "t1");
        Assert.Equal(11, (await Client.GetTitleAsync("t1")).Objects.Count);
    }

    [Fact]
    public async Task A_publication_with_bad_paths_is_rejected_with_every_problem()
    {
        var bad = Title("t1") with { Objects = [new("t1/../etc/passwd", 1), new("other/seg.m4s", 1), new("t1/a.m4s", -5), new("t1/a.m4s", 1)] };

        var ex = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.PublishTitleAsync(bad));

        Assert.Equal(HttpStatusCode.BadRequest, ex.Status);
        Assert.Contains("'..' segment", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not under the title's directory", ex.Message, StringComparison.Ordinal);
        Assert.Contains("negative size", ex.Message, StringComparison.Ordinal);
        Assert.Contains("listed twice", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await Client.ListTitlesAsync(), t => t.TitleId == "t1");
    }

    [Fact]
    public async Task Edge_demand_makes_a_plan_that_edges_learn_of_in_their_heartbeat_answer_once_pushed()
    {
        await RegisterEdgeAsync("edge-ams-1");
        await RegisterEdgeAsync("edge-ams-2");
        await Client.PublishTitleAsync(Title("hot"));
        await Client.PublishTitleAsync(Title("cold"));
        var demand = new ObjectPopularity("video.cdn.test/hot/720p/seg_00000.m4s", "hot", 500, 50_000_000);
        Assert.Equal(0, (await Client.HeartbeatAsync(Heartbeat("edge-ams-1", 10_000_000, [demand]))).FillPlanVersion);

        var draft = await Client.ComputeFillPlanAsync(new FillPlanRequest("ams"));

        Assert.Equal(FillPlanState.Draft, draft.State);
        Assert.Equal(2, draft.Nodes);
        Assert.Equal(2 * 8_000_000, draft.CapacityBytes); // CapacityFraction 0.8 of each edge's reported cache
        Assert.True(draft.AddBytes > 0 && draft.Churn == 1);
        Assert.Equal(0, (await Client.HeartbeatAsync(Heartbeat("edge-ams-1", 10_000_000))).FillPlanVersion);
        var plan = await Client.GetFillPlanAsync("ams", draft.Version);
        Assert.All(plan.Add, i => Assert.Equal("hot", i.TitleId));
        Assert.Equal(5_000_000, plan.RateCapBytesPerSecond);
        Assert.Equal(new TimeOnly(2, 0), plan.Window.Start);

        var pushed = await Client.PushFillPlanAsync("ams", draft.Version);

        Assert.Equal(FillPlanState.Active, pushed.State);
        Assert.Equal(draft.Version, (await Client.HeartbeatAsync(Heartbeat("edge-ams-1", 10_000_000))).FillPlanVersion);
        var mine = await Client.GetNodeFillPlanAsync("ams", "edge-ams-1");
        var theirs = await Client.GetNodeFillPlanAsync("ams", "edge-ams-2");
        Assert.Equal(plan.Add.Count, mine.Add.Count + theirs.Add.Count);
        Assert.All(mine.Add, i => Assert.Contains("edge-ams-1", i.Nodes));
        Assert.Equal(["edge-ams-2"], mine.Peers!.Select(p => p.NodeId));
        Assert.Equal(new Uri("http://10.1.0.2:80/"), mine.Peers![0].Url);
    }

    [Fact]
    public async Task A_draft_computed_against_an_older_active_plan_cannot_be_pushed()
    {
        await RegisterEdgeAsync("edge-ams-1");
        await Client.PublishTitleAsync(Title("hot", release: DateTimeOffset.UtcNow));
        var first = await Client.ComputeFillPlanAsync(new FillPlanRequest("ams"));
        var second = await Client.ComputeFillPlanAsync(new FillPlanRequest("ams"));
        await Client.PushFillPlanAsync("ams", second.Version);

        var ex = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.PushFillPlanAsync("ams", first.Version));

        Assert.Equal(HttpStatusCode.Conflict, ex.Status);
        Assert.Contains($"version {second.Version} is active now", ex.Message, StringComparison.Ordinal);
        var list = await Client.ListFillPlansAsync("ams");
        Assert.Equal([second.Version, first.Version], list.Select(p => p.Version));
        Assert.Equal([FillPlanState.Active, FillPlanState.Draft], list.Select(p => p.State));
    }

    [Fact]
    public async Task Plans_for_unknown_sites_and_versions_are_not_found()
    {
        var site = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.ComputeFillPlanAsync(new FillPlanRequest("mars")));
        var version = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.GetFillPlanAsync("ams", 42));
        var active = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.GetFillPlanAsync("ams"));

        Assert.All([site, version, active], e => Assert.True(e.IsNotFound, e.Message));
        Assert.Contains("push", active.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pin_puts_a_title_without_demand_in_the_next_plan()
    {
        await RegisterEdgeAsync("edge-ams-1");
        await Client.PublishTitleAsync(Title("premiere"));
        var bad = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.AddPinAsync(new FillPinRequest("mars", "premiere", "/x", DateTimeOffset.UtcNow.AddDays(-1), null)));
        Assert.Contains("exactly one of titleId and pathPrefix", bad.Message, StringComparison.Ordinal);
        Assert.Contains("'mars' is not a configured site", bad.Message, StringComparison.Ordinal);
        Assert.Contains("until: must be in the future", bad.Message, StringComparison.Ordinal);

        var pin = await Client.AddPinAsync(new FillPinRequest("ams", "premiere", null, null, "opening night"));
        var plan = await Client.ComputeFillPlanAsync(new FillPlanRequest("ams", Push: true));

        Assert.Equal(3, plan.AddObjects > 0 ? (await Client.GetFillPlanAsync("ams")).Add.Count : 0);
        Assert.Equal([pin.Id], (await Client.ListPinsAsync()).Select(p => p.Id));
        await Client.DeletePinAsync(pin.Id);
        Assert.Empty(await Client.ListPinsAsync());
    }

    [Fact]
    public async Task Progress_reports_are_kept_per_edge_and_listed_by_site()
    {
        await RegisterEdgeAsync("edge-ams-1");
        var report = new FillProgress("edge-ams-1", "ams", 3, 5, 10, 500, 1000, 250, 0, true, DateTimeOffset.UtcNow, null, "filling");

        await Client.ReportFillProgressAsync(report);
        await Client.ReportFillProgressAsync(report with { ObjectsDone = 6 });

        var listed = Assert.Single(await Client.ListFillProgressAsync("ams"));
        Assert.Equal((6L, "filling"), (listed.ObjectsDone, listed.Activity));
        Assert.Empty(await Client.ListFillProgressAsync("fra"));
        var wrongSite = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.ReportFillProgressAsync(report with { Site = "fra" }));
        Assert.Equal(HttpStatusCode.BadRequest, wrongSite.Status);
        var unknown = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.ReportFillProgressAsync(report with { NodeId = "ghost" }));
        Assert.True(unknown.IsNotFound);
    }

    [Fact]
    public async Task Stats_sum_each_site_and_rank_titles_by_edge_demand_but_not_shield_demand()
    {
        await RegisterEdgeAsync("edge-ams-1");
        await Client.RegisterAsync(new NodeRegistration("shield-1", NodeRole.Shield, "ams", ["10.9.0.1"], 10, null, "test"));
        await Client.HeartbeatAsync(Heartbeat("edge-ams-1", 10_000_000, [new("h/a/1.m4s", "a", 10, 1000), new("h/b/1.m4s", "b", 30, 3000), new("h/b/2.m4s", "b", 5, 500)]));
        await Client.HeartbeatAsync(Heartbeat("shield-1", 10_000_000, [new("h/c/1.m4s", "c", 1000, 1000)]));

        var stats = await Client.GetStatsAsync("ams", top: 5, hours: 1);

        Assert.Equal(["b", "a"], stats.TopTitles.Select(t => t.TitleId));
        Assert.Equal(35, stats.TopTitles[0].Requests);
        Assert.Equal("/b/1.m4s", stats.TopObjects[0].Key);
        var edges = Assert.Single(stats.Sites, s => s.Role == NodeRole.Edge);
        Assert.Equal((1, 1.5, 0.9), (edges.Nodes, edges.GbpsOut, edges.HitRatio));
    }

    [Fact]
    public async Task A_purge_is_refused_until_the_control_plane_has_a_token_for_the_nodes()
    {
        var ex = await Assert.ThrowsAsync<ControlPlaneException>(() => Client.PurgeAsync(new PurgeRequest("https://video.cdn.test/t1/seg.m4s", PurgeKind.Url)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.Status);
        Assert.Contains("NodeAdmin:Token", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seg.m4s", PurgeKind.Url)]
    [InlineData("https://video.cdn.test/", PurgeKind.Prefix)]
    public async Task A_purge_target_without_host_and_path_is_refused(string target, PurgeKind kind)
    {
        using var response = await _host.Http.PostAsJsonAsync(ControlPlaneRoutes.Purges, new PurgeRequest(target, kind), CdnJson.Default.PurgeRequest);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
