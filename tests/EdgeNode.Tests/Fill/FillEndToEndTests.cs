using System.Diagnostics;
using System.Text.Json.Nodes;
using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Cli.Tests.Support;
using Cdn.ControlPlane.Popularity;
using Cdn.ControlPlane.Tests.Support;
using EdgeNode.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EdgeNode.Tests.Fill;

/// <summary>
/// The whole fill path on loopback: control plane, two edges of one site, a shield, an origin tree. A plan made
/// from synthetic demand is pushed, waits for the fill window (test clock), fills at the rate cap (wall time),
/// survives an edge restart mid-fill, and shows in <c>edgectl fill status --json</c>; a replica added later is
/// filled from the peer edge, and a withdrawn title is unpinned.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class FillEndToEndTests(ITestOutputHelper output)
{
    private const long RateCap = 500_000;
    private const long Burst = 64 * 1024;

    private static JsonObject FillOptions() => new()
    {
        ["Host"] = CdnSite.Host,
        ["RateCapBytesPerSecond"] = RateCap,
        ["BurstBytes"] = Burst,
        ["Concurrency"] = 2,
        ["CheckInterval"] = "00:00:00.050",
        ["ReportInterval"] = "00:00:00.250",
        ["RetryDelay"] = "00:00:01",
    };

    private static IEnumerable<(string Path, string Node)> Placements(FillPlan plan)
        => plan.Add.Concat(plan.Keep).SelectMany(i => i.Nodes.Select(n => (i.Path, n)));

    [Fact]
    public async Task A_pushed_plan_fills_inside_the_window_at_the_rate_cap_resumes_after_a_restart_and_reports_progress()
    {
        // The window opens an hour from now, site time; the edges' clocks are moved into it when the test says so.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var start = new TimeOnly(local.Hour, local.Minute).AddHours(1);
        await using var site = await CdnSite.StartAsync(c =>
        {
            c["Registry"]!["Sites"]![0]!["FillWindow"] = new JsonObject { ["Start"] = $"{start:HH:mm}", ["End"] = $"{start.AddHours(2):HH:mm}", ["TimeZone"] = "Europe/Amsterdam" };
            c["Fill"] = new JsonObject { ["Replicas"] = 1, ["RateCapBytesPerSecond"] = 0 };
        });
        var titles = site.WriteTitles(4);
        foreach (var title in titles)
        {
            await site.ControlPlane.Client.PublishTitleAsync(title);
        }

        var clockA = new ShiftedTimeProvider();
        var clockB = new ShiftedTimeProvider();
        var a = await site.StartEdgeAsync("edge-a", clockA, FillOptions());
        var b = await site.StartEdgeAsync("edge-b", clockB, FillOptions());
        await Eventually.HoldsAsync(async () => (await site.ControlPlane.Client.ListNodesAsync()).Count(n => n.Role == NodeRole.Edge && n.Cache is not null) == 2,
            TimeSpan.FromSeconds(30), "both edges heartbeating");

        // Synthetic demand: t1 most, t4 nothing (not placed).
        var demand = site.ControlPlane.Services.GetRequiredService<PopularityAggregator>();
        demand.Record("ams", [.. Demand("t1", 400), .. Demand("t2", 200), .. Demand("t3", 100)]);
        var plan = JsonNode.Parse(Ok(await Ctl(site, "fill", "plan", "--site", "ams", "--push", "--json")))!;
        var version = plan["version"]!.GetValue<long>();
        var fullPlan = await site.ControlPlane.Client.GetFillPlanAsync("ams");
        Assert.DoesNotContain(fullPlan.Add, i => i.TitleId == "t4");
        var objectsA = fullPlan.Add.Where(i => i.Nodes.Contains("edge-a")).Sum(i => (long)i.Objects);
        var objectsB = fullPlan.Add.Where(i => i.Nodes.Contains("edge-b")).Sum(i => (long)i.Objects);
        var bytesB = fullPlan.Add.Where(i => i.Nodes.Contains("edge-b")).Sum(i => i.SizeBytes);
        Assert.True(objectsA > 6 && objectsB > 6, $"both edges have work: {objectsA} and {objectsB} objects");

        // Outside the window the edges take the plan but fetch nothing.
        await Eventually.HoldsAsync(() => Task.FromResult(a.Agent.State.PlanVersion == version && b.Agent.State.PlanVersion == version), TimeSpan.FromSeconds(20), "both edges adopting the plan");
        var waiting = JsonNode.Parse(Ok(await Ctl(site, "fill", "status", "--site", "ams", "--json")))!.AsArray();
        await Task.Delay(500);
        Assert.Equal(0, site.ShieldRequests);
        Assert.All(new[] { a, b }, e => Assert.StartsWith("waiting for the fill window", e.Agent.State.Activity, StringComparison.Ordinal));
        Assert.All(waiting, p => Assert.False(p!["inWindow"]!.GetValue<bool>()));

        // The window opens (site time 5 s after its start).
        var untilOpen = FillWindowClock(start, zone);
        var watch = Stopwatch.StartNew();
        clockA.Offset = clockB.Offset = untilOpen;

        // Edge A restarts mid-fill; edge B runs through and is timed.
        await Eventually.HoldsAsync(() => Task.FromResult(a.Agent.State.ObjectsDone >= 4), TimeSpan.FromSeconds(60), "edge-a filling");
        var doneBeforeStop = a.Agent.State.ObjectsDone;
        Assert.True(doneBeforeStop < objectsA, "the restart must come mid-fill");
        await site.StopEdgeAsync(a);
        a = await site.StartEdgeAsync("edge-a", clockA, FillOptions(), a.HttpPort, a.AdminPort);
        await Eventually.HoldsAsync(() => Task.FromResult(a.Agent.ResumedAt is not null), TimeSpan.FromSeconds(20), "edge-a resuming");
        Assert.Equal(version, a.Agent.ResumedAt!.PlanVersion);
        Assert.True(a.Agent.ResumedAt.ObjectsDone >= doneBeforeStop, $"resumed at {a.Agent.ResumedAt.ObjectsDone} objects, had {doneBeforeStop} before the stop");

        await Eventually.HoldsAsync(() => Task.FromResult(b.Agent.State.ObjectsDone == objectsB), TimeSpan.FromSeconds(120), "edge-b done");
        var elapsedB = watch.Elapsed.TotalSeconds;
        var rateB = bytesB / elapsedB;
        output.WriteLine($"edge-b filled {objectsB} objects, {bytesB:N0} bytes in {elapsedB:0.00} s: {rateB:N0} B/s against a cap of {RateCap:N0} B/s ({rateB / RateCap:P1}; burst {Burst:N0} B)");
        Assert.True(bytesB - Burst <= RateCap * elapsedB * 1.05, $"edge-b went over the cap: {rateB:N0} B/s");

        var status = await Ctl(site, "fill", "status", "--site", "ams", "--wait", "--timeout", "00:01:30", "--json");
        var progress = JsonNode.Parse(Ok(status))!.AsArray();
        Assert.Equal(["edge-a", "edge-b"], progress.Select(p => p!["nodeId"]!.GetValue<string>()));
        Assert.All(progress, p =>
        {
            Assert.Equal(version, p!["planVersion"]!.GetValue<long>());
            Assert.Equal(p["objectsTotal"]!.GetValue<long>(), p["objectsDone"]!.GetValue<long>());
            Assert.Equal(p["bytesTotal"]!.GetValue<long>(), p["bytesDone"]!.GetValue<long>());
            Assert.True(p["inWindow"]!.GetValue<bool>());
        });
        var human = await Ctl(site, "fill", "status", "--site", "ams");
        Assert.Contains($"{objectsB}/{objectsB}", Ok(human), StringComparison.Ordinal);

        // Everything placed is stored and pinned where the plan put it; at most the batch in flight at the restart went twice to the shield.
        var edges = new Dictionary<string, EdgeHandle> { ["edge-a"] = a, ["edge-b"] = b };
        foreach (var (unit, node) in Placements(fullPlan))
        {
            foreach (var o in titles.Single(t => unit.StartsWith($"/{t.TitleId}/", StringComparison.Ordinal)).Objects.Where(o => Unit(o.Path) == unit))
            {
                var entry = edges[node].Stored("/" + o.Path);
                Assert.True(entry is { IsPinned: true } && entry.Length == o.SizeBytes, $"{o.Path} on {node}: {entry}");
            }
        }

        Assert.InRange(site.ShieldRequests, objectsA + objectsB, objectsA + objectsB + 2);
        // A player asking edge A for a segment it filled gets it from the cache, exactly as if a player's miss had stored it.
        var onA = titles.SelectMany(t => t.Objects).First(o => o.Path.EndsWith(".m4s", StringComparison.Ordinal) && fullPlan.Add.Any(i => i.Path == Unit(o.Path) && i.Nodes.Contains("edge-a")));
        var shieldBeforeHit = site.ShieldRequests;
        using var hit = await a.GetAsync("/" + onA.Path);
        Assert.StartsWith("HIT", string.Join(",", hit.Headers.GetValues("X-Cache")), StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(site.OriginRoot, onA.Path)), await hit.Content.ReadAsByteArrayAsync());
        Assert.Equal(shieldBeforeHit, site.ShieldRequests);

        // The next day's demand differs a little: the new plan keeps nearly everything.
        demand.Record("ams", [.. Demand("t1", 380), .. Demand("t2", 230), .. Demand("t3", 90)]);
        var next = JsonNode.Parse(Ok(await Ctl(site, "fill", "plan", "--site", "ams", "--json")))!;
        output.WriteLine($"next plan: churn {next["churn"]!.GetValue<double>():P2}, add {next["addBytes"]} B, keep {next["keepBytes"]} B, release {next["releaseBytes"]} B");
        Assert.True(next["churn"]!.GetValue<double>() <= 0.1, next.ToJsonString());

        // A second replica per unit: each edge fills the other's units from the other edge, not from the shield.
        await SetReplicasAsync(site, 2);
        var shieldBefore = site.ShieldRequests;
        var replicated = JsonNode.Parse(Ok(await Ctl(site, "fill", "plan", "--site", "ams", "--push", "--json")))!["version"]!.GetValue<long>();
        await Eventually.HoldsAsync(() => Task.FromResult(edges.Values.All(e => e.Agent.State is { } s && s.PlanVersion == replicated && s.ObjectsDone == s.ObjectsTotal)),
            TimeSpan.FromSeconds(120), "both edges holding both replicas");
        output.WriteLine($"replicas from peers: edge-a {a.Agent.PeerHits}, edge-b {b.Agent.PeerHits}; shield requests {shieldBefore} -> {site.ShieldRequests}");
        // Segments come from the peer; playlists (2 s freshness) are stale there, so only-if-cached declines them and the shield serves them.
        var playlistsA = PlaylistsOn(fullPlan, titles, "edge-a");
        var playlistsB = PlaylistsOn(fullPlan, titles, "edge-b");
        Assert.InRange(site.ShieldRequests - shieldBefore, 0, playlistsA + playlistsB);
        Assert.True(a.Agent.PeerHits >= objectsB - playlistsB && b.Agent.PeerHits >= objectsA - playlistsA, "every segment of the new replicas came from the peer");

        // A withdrawn title is released: unpinned on both edges (it stays cached until evicted).
        await site.ControlPlane.Client.DeleteTitleAsync("t3");
        var withdrawn = JsonNode.Parse(Ok(await Ctl(site, "fill", "plan", "--site", "ams", "--push", "--json")))!["version"]!.GetValue<long>();
        var t3 = "/" + titles[2].Objects[^1].Path;
        await Eventually.HoldsAsync(() => Task.FromResult(edges.Values.All(e => e.Agent.State.PlanVersion == withdrawn && e.Stored(t3) is { IsPinned: false })),
            TimeSpan.FromSeconds(30), "t3 unpinned on both edges");
    }

    private static IEnumerable<ObjectPopularity> Demand(string title, long requests)
        => new[] { "720p", "360p" }.Select(r => new ObjectPopularity($"{CdnSite.Host}/{title}/{r}/seg_00000.m4s", title, requests, requests * 64 * 1024));

    private static string Unit(string path) => "/" + path[..(path.LastIndexOf('/') + 1)];

    private static long PlaylistsOn(FillPlan plan, List<Cdn.Contracts.Catalog.TitlePublished> titles, string node)
        => titles.SelectMany(t => t.Objects).Count(o => o.Path.EndsWith(".m3u8", StringComparison.Ordinal) && plan.Add.Any(i => i.Path == Unit(o.Path) && i.Nodes.Contains(node)));

    /// <summary>How far to move a clock so the site's local time is 5 s past <paramref name="start"/>.</summary>
    private static TimeSpan FillWindowClock(TimeOnly start, TimeZoneInfo zone)
    {
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        return (start - local) + TimeSpan.FromSeconds(5);
    }

    private static async Task SetReplicasAsync(CdnSite site, int replicas)
    {
        var configuration = (IConfigurationRoot)site.ControlPlane.Services.GetRequiredService<IConfiguration>();
        var file = configuration["Daemon:ConfigPath"]!;
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        json["Fill"]!["Replicas"] = replicas;
        await File.WriteAllTextAsync(file, json.ToJsonString());
        configuration.Reload();
        var options = site.ControlPlane.Services.GetRequiredService<Cdn.Hosting.Configuration.LiveOptions<Cdn.ControlPlane.Fill.FillOptions>>();
        await Eventually.HoldsAsync(() => Task.FromResult(options.Current.Replicas == replicas), TimeSpan.FromSeconds(10), "the new replica count in force");
    }

    private static Task<EdgeCtl.Result> Ctl(CdnSite site, params string[] args) => EdgeCtl.RunAgainstAsync(site.ControlPlane.ApiBase, ControlPlaneHost.Token, args);

    private static string Ok(EdgeCtl.Result result)
    {
        Assert.True(result.Exit == 0, result.ToString());
        return result.Out;
    }
}
