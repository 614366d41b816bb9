using System.Text.Json;
using System.Text.Json.Nodes;
using Cdn.Contracts;
using Cdn.Contracts.Catalog;
using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Purge;
using Cdn.ControlPlane.Cli.Tests.Support;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Cli.Tests;

/// <summary>Each edgectl command against the real control plane: tables for people, JSON for scripts, exit codes, errors that say what to do.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private const string NodeToken = "node-admin-token-0123456789";
    private ControlPlaneHost _cp = null!;
    private FakeNodeAdmin _edgeAdmin = null!;

    public async Task InitializeAsync()
    {
        _cp = await ControlPlaneHost.StartAsync(c =>
        {
            c["Health"]!["HeartbeatInterval"] = "00:01:00";
            c["Registry"]!["Sites"]![0]!["FillWindow"] = new JsonObject { ["Start"] = "02:00", ["End"] = "14:00", ["TimeZone"] = "Europe/Amsterdam" };
            c["NodeAdmin"] = new JsonObject { ["Token"] = NodeToken };
            c["Purge"] = new JsonObject { ["RetryMin"] = "00:00:00.100", ["PollInterval"] = "00:00:00.100" };
        });
        _edgeAdmin = await FakeNodeAdmin.StartAsync(FreePort.Tcp(), NodeToken);
        await _cp.Client.RegisterAsync(new NodeRegistration("edge-ams-1", NodeRole.Edge, "ams", ["10.1.0.11"], 40, _edgeAdmin.Url, "test", new Uri("http://10.1.0.11/")));
        await _cp.Client.HeartbeatAsync(new NodeHeartbeat("edge-ams-1", DateTimeOffset.UtcNow, new NodeHealthReport(true, 1, 1, 1L << 30, 0, []),
            new NodeLoadReport(2.5, 120, 300), new CacheStatsReport(10, 4_000_000, 10_000_000, 100, 93, 1_000_000, 50_000),
            [new ObjectPopularity("video.cdn.test/t1/720p/seg_00000.m4s", "t1", 40, 4_000_000)]));
    }

    public async Task DisposeAsync()
    {
        await _edgeAdmin.DisposeAsync();
        await _cp.DisposeAsync();
    }

    private Task<EdgeCtl.Result> Run(params string[] args) => EdgeCtl.RunAgainstAsync(_cp.ApiBase, ControlPlaneHost.Token, args);

    private static JsonNode Json(EdgeCtl.Result result)
    {
        Assert.True(result.Exit == 0, result.ToString());
        return JsonNode.Parse(result.Out)!;
    }

    private async Task PublishAsync(string id)
    {
        var objects = new List<CatalogObject> { new($"{id}/master.m3u8", 400), new($"{id}/720p/index.m3u8", 300) };
        objects.AddRange(Enumerable.Range(0, 5).Select(i => new CatalogObject($"{id}/720p/seg_{i:00000}.m4s", 200_000)));
        await _cp.Client.PublishTitleAsync(new TitlePublished(id, $"{id}/master.m3u8", null, 30, [new("720p", 1280, 720, 3_000_000, "avc1", "720p/index.m3u8")], objects));
    }

    [Fact]
    public async Task Nodes_prints_a_table_of_health_load_and_drain_state_and_json_for_scripts()
    {
        var table = await Run("nodes");
        var json = Json(await Run("nodes", "--json"));

        Assert.Equal(0, table.Exit);
        Assert.Contains("edge-ams-1", table.Out, StringComparison.Ordinal);
        Assert.Contains("2.50", table.Out, StringComparison.Ordinal);
        Assert.Contains("93.0%", table.Out, StringComparison.Ordinal);
        Assert.Contains("1 nodes:", table.Out, StringComparison.Ordinal);
        Assert.Equal("edge-ams-1", json[0]!["nodeId"]!.GetValue<string>());
        Assert.Equal(120, json[0]!["load"]!["connections"]!.GetValue<long>());
        Assert.Empty(Json(await Run("nodes", "--site", "fra", "--json")).AsArray());
    }

    [Fact]
    public async Task Drain_and_undrain_change_the_node_and_say_what_follows()
    {
        var drained = await Run("drain", "edge-ams-1");
        Assert.Equal(0, drained.Exit);
        Assert.Contains("edge-ams-1 drained", drained.Out, StringComparison.Ordinal);
        Assert.Contains("edgectl undrain edge-ams-1", drained.Out, StringComparison.Ordinal);
        Assert.True((await _cp.Client.GetNodeAsync("edge-ams-1")).Drained);

        var undrained = Json(await Run("undrain", "edge-ams-1", "--json"));
        Assert.False(undrained["drained"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Naming_an_unknown_node_exits_5_with_the_control_planes_reason()
    {
        var result = await Run("drain", "edge-nowhere");

        Assert.Equal(ExitCodes.NotFound, result.Exit);
        Assert.Contains("no node 'edge-nowhere' is registered", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sites_lists_windows_and_fallbacks()
    {
        var table = await Run("sites");
        var json = Json(await Run("sites", "--json"));

        Assert.Contains("02:00–14:00 Europe/Amsterdam", table.Out, StringComparison.Ordinal);
        Assert.Contains("Frankfurt", table.Out, StringComparison.Ordinal);
        Assert.Equal(["ams", "fra", "big"], json.AsArray().Select(s => s!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Czf_validate_and_apply_check_the_file_exactly_as_the_control_plane_does()
    {
        using var dir = new TempDirectory("czf");
        var good = dir.Combine("good.json");
        var bad = dir.Combine("bad.json");
        await File.WriteAllTextAsync(good, """{ "revision": "r9", "coverageZones": { "ams": { "network": ["10.1.0.0/16", "10.7.0.0/16"] } } }""");
        await File.WriteAllTextAsync(bad, """{ "coverageZones": { "ams": { "network": ["10.1.0.0/33"] } } }""");

        var valid = await Run("czf", "validate", good);
        var invalid = await Run("czf", "validate", bad);
        var rejected = await Run("czf", "apply", bad);
        var applied = Json(await Run("czf", "apply", good, "--json"));
        var missing = await Run("czf", "validate", dir.Combine("nope.json"));

        Assert.Equal(0, valid.Exit);
        Assert.Contains("good.json is valid: 1 zones, 2 networks, revision r9", valid.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, invalid.Exit);
        Assert.Contains("bad.json is invalid", invalid.Error, StringComparison.Ordinal);
        Assert.Contains("10.1.0.0/33", invalid.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Rejected, rejected.Exit);
        Assert.Contains("the zones in force stay", rejected.Error, StringComparison.Ordinal);
        Assert.Equal("r9", applied["revision"]!.GetValue<string>());
        Assert.Equal(ExitCodes.Usage, missing.Exit);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_explains_the_site_and_why_and_refuses_what_is_not_an_address()
    {
        var human = await Run("route", "10.1.2.3");
        var json = Json(await Run("route", "10.1.2.3", "--json"));
        var bad = await Run("route", "not-an-ip");

        Assert.Equal(0, human.Exit);
        Assert.Contains("ams", human.Out, StringComparison.Ordinal);
        Assert.Contains("Why", human.Out, StringComparison.Ordinal);
        Assert.Equal("ams", json["site"]!.GetValue<string>());
        Assert.Equal("10.1.0.0/16", json["matchedPrefix"]!.GetValue<string>());
        Assert.Equal(ExitCodes.Usage, bad.Exit);
        Assert.Contains("not an IP address", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fill_plan_push_show_and_status_drive_a_site_plan()
    {
        await PublishAsync("t1");
        await PublishAsync("t2");

        var planned = await Run("fill", "plan", "--site", "ams");
        Assert.True(planned.Exit == 0, planned.ToString());
        Assert.Contains("ams v1 (draft", planned.Out, StringComparison.Ordinal);
        Assert.Contains("edgectl fill push --site ams --version 1", planned.Out, StringComparison.Ordinal);
        Assert.Contains("forecast = bytes served per rendition", planned.Out, StringComparison.Ordinal);

        var pushed = Json(await Run("fill", "push", "--site", "ams", "--json"));
        Assert.Equal(("Active", 1L), (pushed["state"]!.GetValue<string>(), pushed["version"]!.GetValue<long>()));

        var shown = await Run("fill", "show", "--site", "ams");
        Assert.Contains("/t1/720p/", shown.Out, StringComparison.Ordinal);
        Assert.Contains("Add (", shown.Out, StringComparison.Ordinal);
        var plan = Json(await Run("fill", "show", "--site", "ams", "--json"));
        Assert.Contains(plan["add"]!.AsArray(), i => i!["path"]!.GetValue<string>() == "/t1/720p/" && i["objects"]!.GetValue<int>() == 6);

        var noDraft = await Run("fill", "push", "--site", "ams");
        Assert.Equal(ExitCodes.Usage, noDraft.Exit);
        Assert.Contains("edgectl fill plan --site ams", noDraft.Error, StringComparison.Ordinal);

        Assert.Equal(2, Json(await Run("fill", "plan", "--site", "ams", "--json"))["version"]!.GetValue<long>());
        var pushedHuman = await Run("fill", "push", "--site", "ams");
        Assert.Contains("site ams: plan v2 is active (was v1)", pushedHuman.Out, StringComparison.Ordinal);
        Assert.Contains("edgectl fill status --site ams --watch", pushedHuman.Out, StringComparison.Ordinal);

        await _cp.Client.ReportFillProgressAsync(new FillProgress("edge-ams-1", "ams", 2, 3, 7, 600_000, 1_400_000, 250_000, 0, true, DateTimeOffset.UtcNow, null, "filling"));
        var status = await Run("fill", "status", "--site", "ams");
        Assert.Contains("3/7", status.Out, StringComparison.Ordinal);
        Assert.Contains("250.0 KB/s", status.Out, StringComparison.Ordinal);
        Assert.Contains("open", status.Out, StringComparison.Ordinal);
        var progress = Json(await Run("fill", "status", "--json"));
        Assert.Equal(3, progress[0]!["objectsDone"]!.GetValue<long>());

        var waited = await Run("fill", "status", "--site", "ams", "--wait", "--timeout", "00:00:00.300", "--json");
        Assert.Equal(ExitCodes.TimedOut, waited.Exit);
        await _cp.Client.ReportFillProgressAsync(new FillProgress("edge-ams-1", "ams", 2, 7, 7, 1_400_000, 1_400_000, 0, 0, true, DateTimeOffset.UtcNow, null, "done"));
        Assert.Equal(0, (await Run("fill", "status", "--site", "ams", "--wait", "--timeout", "00:00:05")).Exit);
    }

    [Fact]
    public async Task Fill_commands_name_missing_options_and_unknown_sites()
    {
        var missing = await Run("fill", "plan");
        var unknown = await Run("fill", "plan", "--site", "mars");

        Assert.Equal(ExitCodes.Usage, missing.Exit);
        Assert.Contains("'--site' is required", missing.Error, StringComparison.Ordinal);
        Assert.Contains("edgectl fill plan --help", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, unknown.Exit);
        Assert.Contains("no site 'mars'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_follows_the_purge_until_every_node_confirmed()
    {
        var human = await Run("purge", "https://video.cdn.test/t1/720p/seg_00001.m4s");
        var json = Json(await Run("purge", "video.cdn.test/t1/*", "--json"));

        Assert.True(human.Exit == 0, human.ToString());
        Assert.Contains("complete on all 1 nodes", human.Out, StringComparison.Ordinal);
        Assert.True(json["complete"]!.GetValue<bool>());
        Assert.Equal("Prefix", json["kind"]!.GetValue<string>());
        Assert.Equal(2, _edgeAdmin.Calls.Count);
        var followed = Json(await Run("purge", "--id", json["purgeId"]!.GetValue<string>(), "--json"));
        Assert.True(followed["complete"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Purge_without_a_target_or_with_a_bad_one_says_what_to_pass()
    {
        var none = await Run("purge");
        var bad = await Run("purge", "seg.m4s");

        Assert.Equal(ExitCodes.Usage, none.Exit);
        Assert.Contains("name what to purge", none.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Rejected, bad.Exit);
        Assert.Contains("the host is part of every cache key", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_and_top_show_load_hit_ratios_and_the_most_requested_titles()
    {
        var stats = await Run("stats");
        var statsJson = Json(await Run("stats", "--json"));
        var top = await Run("top", "--hours", "1");
        var topJson = Json(await Run("top", "--json", "-n", "3"));

        Assert.Contains("1/1", stats.Out, StringComparison.Ordinal);
        Assert.Contains("95.0%", stats.Out, StringComparison.Ordinal); // byte hit ratio: 1 - 50 000 / 1 000 000
        Assert.Contains("all edges", stats.Out, StringComparison.Ordinal);
        Assert.Equal(2.5, statsJson["sites"]![0]!["gbpsOut"]!.GetValue<double>());
        Assert.Contains("t1", top.Out, StringComparison.Ordinal);
        Assert.Contains("/t1/720p/seg_00000.m4s", top.Out, StringComparison.Ordinal);
        Assert.Equal("t1", topJson["topTitles"]![0]!["titleId"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unreachable_control_plane_is_exit_3_and_says_where_the_address_came_from()
    {
        var port = FreePort.Tcp();

        var result = await EdgeCtl.RunWithEnvironmentAsync(new Dictionary<string, string> { ["EDGECTL_SERVER"] = $"http://127.0.0.1:{port}" }, "nodes");

        Assert.Equal(ExitCodes.Unreachable, result.Exit);
        Assert.Contains($"cannot reach the control plane at http://127.0.0.1:{port}/", result.Error, StringComparison.Ordinal);
        Assert.Contains("came from EDGECTL_SERVER", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task A_rejected_or_missing_token_is_exit_4_and_says_where_tokens_come_from()
    {
        var wrong = await EdgeCtl.RunAgainstAsync(_cp.ApiBase, "not-the-token-0123456789", "nodes");
        var none = await EdgeCtl.RunAsync("nodes", "--server", _cp.ApiBase.ToString());

        Assert.Equal(ExitCodes.Unauthorized, wrong.Exit);
        Assert.Contains("rejected the token", wrong.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Unauthorized, none.Exit);
        Assert.Contains("EDGECTL_TOKEN", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_and_token_come_from_the_config_file_when_flags_and_environment_are_silent()
    {
        using var dir = new TempDirectory("edgectl");
        await File.WriteAllTextAsync(dir.Combine("token"), "# the control plane token\n" + ControlPlaneHost.Token + "\n");
        await File.WriteAllTextAsync(dir.Combine("config.json"), JsonSerializer.Serialize(new { server = _cp.ApiBase.ToString(), tokenFile = dir.Combine("token") }));

        var fromFile = await EdgeCtl.RunWithEnvironmentAsync(new Dictionary<string, string> { ["EDGECTL_CONFIG"] = dir.Combine("config.json") }, "sites", "--json");
        var badFile = await EdgeCtl.RunAsync("sites", "--config", dir.Combine("token"));

        Assert.True(fromFile.Exit == 0, fromFile.ToString());
        Assert.Equal(ExitCodes.Usage, badFile.Exit);
        Assert.Contains("not valid JSON", badFile.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nodez")]
    [InlineData("nodes", "--colour")]
    [InlineData("fill", "status", "--timeout", "soon")]
    public async Task Bad_arguments_are_exit_2_and_point_at_help(params string[] args)
    {
        var result = await Run(args);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nodes")]
    [InlineData("purge")]
    [InlineData("fill", "status")]
    [InlineData("doctor")]
    public async Task Help_lists_options_and_examples(params string[] args)
    {
        var result = await EdgeCtl.RunAsync([.. args, "--help"]);

        Assert.Equal(0, result.Exit);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Contains("Examples:", result.Out, StringComparison.Ordinal);
        Assert.Contains("--json", result.Out, StringComparison.Ordinal);
    }
}
