using System.Globalization;
using System.Text.Json.Nodes;
using Cdn.ControlPlane.Cli.Output;
using Cdn.ControlPlane.Cli.Tests.Support;

namespace Cdn.ControlPlane.Cli.Tests;

/// <summary><c>edgectl plan</c>: the capacity planner, offline — no control plane is started for these.</summary>
public sealed class PlanTests
{
    /// <summary>The seeds' peak: 100M concurrent viewers at 5 Mb/s, sized for 97% and 99% byte hit ratios.</summary>
    private static readonly string[] Seeds = ["plan", "--viewers", "100M", "--bitrate", "5Mb/s", "--target", "97%", "--target", "99%"];

    /// <summary>The same peak on edges with small flash caches, where storage, not throughput, sets the edge count.</summary>
    private static readonly string[] SeedsOnFlash = [.. Seeds, "--edge-storage", "7.68TB"];

    private static async Task<JsonNode> JsonOf(params string[] args)
    {
        var result = await EdgeCtl.RunAsync([.. args, "--json"]);
        Assert.True(result.Exit == 0, result.ToString());
        return JsonNode.Parse(result.Out)!;
    }

    private static double D(JsonNode? node) => node!.GetValue<double>();

    /// <summary>The cells of the table row labelled <paramref name="label"/>, after the label.</summary>
    private static List<string> Cells(string table, string label)
    {
        var line = table.Split('\n').Single(l => l.TrimStart('│', ' ').StartsWith(label + " ", StringComparison.Ordinal));
        return [.. line.Split('│', StringSplitOptions.TrimEntries).Where(c => c.Length > 0).Skip(1)];
    }

    [Fact]
    public async Task The_seeds_peak_needs_edges_in_every_site_and_gets_a_row_per_target()
    {
        var result = await EdgeCtl.RunAsync(Seeds);
        var plan = await JsonOf(Seeds);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal(500_000, D(plan["peakGbps"]), 6);          // 100M × 5 Mb/s = 500 Tb/s
        Assert.Equal(2_500, D(plan["sitePeakGbps"]), 6);        // over the default 200 sites
        Assert.Equal(70, D(plan["edgeServeGbps"]), 6);          // 100 Gb/s NIC (CPU gives 128) × 70%
        Assert.Equal("network", plan["bottleneck"]!.GetValue<string>());
        var rows = plan["rows"]!.AsArray();
        Assert.Equal(["throughput", "97% hit", "99% hit"], rows.Select(r => r!["sizing"]!.GetValue<string>()));
        foreach (var row in rows)
        {
            var edges = row!["edgesPerSite"]!.GetValue<int>();
            Assert.Equal(36, edges);                             // ⌈2500 / 70⌉: throughput binds, the caches hold the catalog
            Assert.Equal(edges * 200L, row["totalEdges"]!.GetValue<long>());
            Assert.InRange(D(row["peakUtilization"]), 0.6, 0.7);
            Assert.InRange(D(row["byteHitRatio"]), 0.97, 1);
        }

        Assert.True(D(rows[1]!["cacheNeededBytes"]) < D(rows[2]!["cacheNeededBytes"]));
        Assert.Contains("Edges per site", result.Out, StringComparison.Ordinal);
        Assert.Contains("Assumptions", result.Out, StringComparison.Ordinal);
        Assert.Contains("PLACEHOLDER: measure, bench/LoadBench", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_go_up_in_cache_and_hit_ratio_and_down_in_upstream_egress()
    {
        // Targets given out of order come back in order.
        var plan = await JsonOf([.. SeedsOnFlash, "--target", "0.9"]);

        var rows = plan["rows"]!.AsArray().Select(r => r!).ToList();
        Assert.Equal(["throughput", "90% hit", "97% hit", "99% hit"], rows.Select(r => r["sizing"]!.GetValue<string>()));
        for (var k = 1; k < rows.Count; k++)
        {
            Assert.True(D(rows[k]["siteCacheBytes"]) > D(rows[k - 1]["siteCacheBytes"]), $"row {k}: cache");
            Assert.True(D(rows[k]["byteHitRatio"]) > D(rows[k - 1]["byteHitRatio"]), $"row {k}: hit ratio");
            Assert.True(D(rows[k]["upstreamGbpsTotal"]) < D(rows[k - 1]["upstreamGbpsTotal"]), $"row {k}: upstream");
            Assert.True(D(rows[k]["byteHitRatio"]) >= D(rows[k]["targetHitRatio"]));
            Assert.Equal("cache", rows[k]["bottleneck"]!.GetValue<string>());
        }

        Assert.Equal("network", rows[0]["bottleneck"]!.GetValue<string>());
        Assert.Equal(2_500 * (1 - D(rows[0]["byteHitRatio"])), D(rows[0]["upstreamGbpsPerSite"]), 6);
    }

    [Fact]
    public async Task The_table_shows_the_numbers_the_json_carries()
    {
        var table = (await EdgeCtl.RunAsync(SeedsOnFlash)).Out;
        var rows = (await JsonOf(SeedsOnFlash))["rows"]!.AsArray().Select(r => r!).ToList();

        string N(JsonNode r, string name) => r[name]!.GetValue<long>().ToString("#,0", CultureInfo.InvariantCulture);
        var header = table.Split('\n').Single(l => l.Contains('│', StringComparison.Ordinal) && l.Contains("throughput", StringComparison.Ordinal));
        Assert.Equal(rows.Select(r => r["sizing"]!.GetValue<string>()), header.Split('│', StringSplitOptions.TrimEntries).Where(c => c.Length > 0));
        Assert.Equal(rows.Select(r => N(r, "edgesPerSite")), Cells(table, "Edges per site"));
        Assert.Equal(rows.Select(r => N(r, "totalEdges")), Cells(table, "Edges, all sites"));
        Assert.Equal(rows.Select(r => r["bottleneck"]!.GetValue<string>()), Cells(table, "Bound by"));
        Assert.Equal(rows.Select(r => Units.Bytes(D(r["siteCacheBytes"]))), Cells(table, "Cache per site"));
        Assert.Equal(rows.Select(r => r["cacheNeededBytes"] is { } b ? Units.Bytes(D(b)) : "–"), Cells(table, "Cache the target needs"));
        Assert.Equal(rows.Select(r => N(r, "titlesHeld")), Cells(table, "Titles held per site"));
        Assert.Equal(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{D(r["byteHitRatio"]) * 100:0.00}%")), Cells(table, "Byte hit ratio"));
        Assert.Equal(rows.Select(r => Units.Bits(D(r["upstreamGbpsPerSite"]))), Cells(table, "Upstream per site"));
        Assert.Equal(rows.Select(r => Units.Bits(D(r["upstreamGbpsTotal"]))), Cells(table, "Upstream, all sites"));
        Assert.Contains("97% hit", table, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bitrate", "800kbit", "bitrateMbps", 0.8)]
    [InlineData("--bitrate", "5mbit", "bitrateMbps", 5)]
    [InlineData("--viewers", "2.5M", "viewers", 2_500_000)]
    [InlineData("--titles", "8k", "titles", 8_000)]
    [InlineData("--edge-storage", "3.84TB", "edgeStorageTB", 3.84)]
    [InlineData("--edge-cache", "500GiB", "edgeStorageTB", 0.536870912)]
    [InlineData("--edge-nic", "25gbit", "edgeNicGbps", 25)]
    [InlineData("--edge-nic", "400Gb/s", "edgeNicGbps", 400)]
    [InlineData("--stored-bitrate", "12Mb/s", "storedMbpsPerTitle", 12)]
    [InlineData("--title-hours", "45min", "titleHours", 0.75)]
    [InlineData("--core-gbps-http", "0.4s/GB", "coreGbpsHttp", 20)]
    [InlineData("--core-gbps-https", "2.5Gb/s", "coreGbpsHttps", 2.5)]
    [InlineData("--https-share", "80%", "httpsShare", 0.8)]
    [InlineData("--max-utilization", "0.6", "maxUtilization", 0.6)]
    public async Task Options_take_units_and_reach_the_planner_in_its_own(string option, string value, string input, double expected)
    {
        var plan = await JsonOf("plan", option, value);

        Assert.Equal(expected, D(plan["inputs"]![input]), 9);
    }

    [Fact]
    public async Task Targets_may_be_repeated_comma_separated_or_none()
    {
        var targets = (await JsonOf("plan", "--target", "99%,0.9", "--target", "95%"))["inputs"]!["targetHitRatios"]!.AsArray().Select(D);
        var none = await JsonOf("plan", "--target", "none");

        Assert.Equal([0.9, 0.95, 0.99], targets);
        Assert.Equal("throughput", none["rows"]!.AsArray().Single()!["sizing"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("--viewers", "0", "must be a positive number")]
    [InlineData("--viewers", "-5", "must be a positive number")]
    [InlineData("--viewers", "lots", "is not a number")]
    [InlineData("--bitrate", "5furlongs", "unknown unit 'furlongs'")]
    [InlineData("--bitrate", "-1Mb/s", "must be a positive number")]
    [InlineData("--sites", "0", "must be a positive number")]
    [InlineData("--sites", "2.5", "is not a whole number")]
    [InlineData("--titles", "0", "must be a positive number")]
    [InlineData("--title-hours", "0h", "must be a positive number")]
    [InlineData("--title-hours", "2days", "unknown unit 'days'")]
    [InlineData("--stored-bitrate", "0", "must be a positive number")]
    [InlineData("--alpha", "7", "must be between 0 and 4")]
    [InlineData("--alpha", "-0.1", "must be between 0 and 4")]
    [InlineData("--edge-storage", "100XB", "unknown unit 'XB'")]
    [InlineData("--edge-storage", "0TB", "must be a positive number")]
    [InlineData("--edge-nic", "100Gb/h", "unknown unit 'Gb/h'")]
    [InlineData("--edge-cores", "-1", "must be a positive number")]
    [InlineData("--core-gbps-http", "0", "must be a positive number")]
    [InlineData("--core-gbps-https", "0s/GB", "CPU seconds per GB must be above 0")]
    [InlineData("--https-share", "1.5", "must be between 0 and 1")]
    [InlineData("--https-share", "80 percent", "unknown unit 'percent'")]
    [InlineData("--max-utilization", "0", "must be above 0 and at most 1")]
    [InlineData("--max-utilization", "120%", "must be above 0 and at most 1")]
    [InlineData("--replicas", "0", "must be a positive number")]
    [InlineData("--target", "97", "must be a byte hit ratio above 0 and below 1")]
    [InlineData("--target", "100%", "must be a byte hit ratio above 0 and below 1")]
    [InlineData("--target", "0", "must be a byte hit ratio above 0 and below 1")]
    [InlineData("--target", "most", "is not a number")]
    [InlineData("--simulate-requests", "100", "is outside")]
    [InlineData("--simulate-requests", "1G", "is outside")]
    public async Task Each_bad_argument_exits_2_and_names_the_option_and_the_problem(string option, string value, string problem)
    {
        var result = await EdgeCtl.RunAsync("plan", $"{option}={value}");

        Assert.Equal(ExitCodes.Usage, result.Exit);
        var line = Assert.Single(result.Error.Split('\n'), l => l.StartsWith("edgectl plan: ", StringComparison.Ordinal));
        Assert.StartsWith($"edgectl plan: {option}", line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
        Assert.Contains("edgectl plan --help", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Every_bad_argument_is_reported_at_once()
    {
        var result = await EdgeCtl.RunAsync("plan", "--viewers", "0", "--bitrate", "fast", "--target", "97", "--alpha", "9");

        Assert.Equal(ExitCodes.Usage, result.Exit);
        foreach (var option in new[] { "--viewers", "--bitrate", "--target", "--alpha" })
        {
            Assert.Contains($"edgectl plan: {option}", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Simulated_on_demand_caching_agrees_with_the_analytic_hit_ratio_on_a_small_catalog()
    {
        // 2,000 titles, sites holding 6% and 43% of them: the engine's W-TinyLFU over an independent Zipf trace reaches
        // close to (and not above) holding the most popular titles, which is what the analytic ratio assumes.
        var plan = await JsonOf("plan", "--titles", "2000", "--edge-storage", "1TB", "--sites", "10", "--viewers", "200k", "--replicas", "1",
            "--target", "80%", "--simulate", "--simulate-requests", "1M");

        var rows = plan["rows"]!.AsArray().Select(r => r!).ToList();
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            var analytic = D(row["byteHitRatio"]);
            var simulated = D(row["reactiveByteHitRatio"]);
            Assert.InRange(analytic, 0.3, 0.95); // neither trivially empty nor the whole catalog
            Assert.InRange(simulated, analytic - 0.04, analytic + 0.01);
        }
    }

    [Fact]
    public async Task Simulation_shows_in_the_table_only_when_asked_for()
    {
        var plain = await EdgeCtl.RunAsync("plan", "--titles", "2000", "--edge-storage", "1TB", "--sites", "10", "--viewers", "200k");
        var simulated = await EdgeCtl.RunAsync("plan", "--titles", "2000", "--edge-storage", "1TB", "--sites", "10", "--viewers", "200k", "--simulate", "--simulate-requests", "200k");

        Assert.DoesNotContain("W-TinyLFU", plain.Out, StringComparison.Ordinal);
        Assert.Equal(3, Cells(simulated.Out, "W-TinyLFU (simulated)").Count(c => c.EndsWith('%'))); // throughput, 97%, 99%
    }

    [Fact]
    public async Task Plan_runs_offline_whatever_control_plane_settings_are_around()
    {
        var result = await EdgeCtl.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["EDGECTL_SERVER"] = "http://127.0.0.1:1/", ["EDGECTL_CONFIG"] = "/nonexistent/edgectl.json" }, Seeds);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Help_lists_every_input_with_its_unit_and_says_where_per_core_costs_come_from()
    {
        var result = await EdgeCtl.RunAsync("plan", "--help");

        Assert.Equal(0, result.Exit);
        Assert.Contains("Examples:", result.Out, StringComparison.Ordinal);
        Assert.Contains("edgectl plan --viewers 100M --bitrate 5Mb/s --target 97% --target 99%", result.Out, StringComparison.Ordinal);
        Assert.Contains("bench/LoadBench", result.Out, StringComparison.Ordinal);
        Assert.Contains("8 / CPU-s per GB", result.Out, StringComparison.Ordinal);
        foreach (var option in new[] { "--viewers", "--bitrate", "--sites", "--titles", "--title-hours", "--stored-bitrate", "--alpha", "--edge-storage",
            "--edge-nic", "--edge-cores", "--core-gbps-http", "--core-gbps-https", "--https-share", "--max-utilization", "--replicas", "--target",
            "--simulate", "--json" })
        {
            Assert.Contains(option, result.Out, StringComparison.Ordinal);
        }
    }
}
