using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cdn.Capacity;
using Cdn.ControlPlane.Cli.Output;
using Cdn.ControlPlane.Cli.Planning;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary>
/// <c>edgectl plan</c>: the capacity planner of <see cref="CapacityPlanner"/> (issue 9) on the command line. Offline:
/// it needs no control plane, so it runs outside the command frame that resolves a server and a token.
/// </summary>
internal static class PlanCommand
{
    /// <summary>Simulated requests are bounded: the trace is 4 bytes per request and each row runs it once.</summary>
    private const int MinSimulationRequests = 10_000;
    private const int MaxSimulationRequests = 20_000_000;

    /// <summary>Beyond this the Zipf sums of a bisection take seconds; no catalog is near it.</summary>
    private const long MaxTitles = 10_000_000_000;

    private delegate double? Parser(string text, out string? problem);

    public static Command Plan(CliEnvironment env)
    {
        var d = new CapacityInputs();
        var viewers = Text("--viewers", "N", $"Concurrent viewers at the peak: 100000000, 100M (default {Count(d.Viewers)})");
        var bitrate = Text("--bitrate", "RATE", $"Average delivered bitrate per viewer: 5Mb/s, 5mbit, 800kbit; bare = Mb/s (default {d.BitrateMbps} Mb/s)");
        var sites = Text("--sites", "N", $"Sites the peak is spread over, evenly (default {d.Sites})");
        var titles = Text("--titles", "N", $"Titles in the catalog: 20000, 20k (default {Count(d.Titles)})");
        var titleHours = Text("--title-hours", "HOURS", $"Average title length: 1.5, 1.5h, 90min (default {d.TitleHours} h)");
        var stored = Text("--stored-bitrate", "RATE", $"Stored bytes per second of a title, as a bitrate: the sum of the renditions kept; bare = Mb/s (default {d.StoredMbpsPerTitle} Mb/s, the packager's ladder)");
        var alpha = Text("--alpha", "ALPHA", $"Zipf skew of title popularity, 0 (uniform) to 4; VOD catalogs measure 0.6–1.0 (default {d.Alpha})");
        var storage = Text("--edge-storage", "SIZE", $"Cache per edge the fill plan may use: 100TB, 3.84TB, 500GiB; bare = TB. The fill planner uses Fill:CapacityFraction (80%) of what an edge reports (default {d.EdgeStorageTB} TB)");
        storage.Aliases.Add("--edge-cache");
        var nic = Text("--edge-nic", "RATE", $"Network per edge: 100Gb/s, 25gbit; bare = Gb/s (default {d.EdgeNicGbps} Gb/s)");
        var cores = Text("--edge-cores", "N", $"CPU cores per edge given to serving (default {d.EdgeCores})");
        var http = Text("--core-gbps-http", "GBPS|S/GB",
            $"What one core serves over cleartext HTTP: Gb/s (4, 4Gb/s) or bench/LoadBench's server CPU seconds per GB (0.4s/GB = 8 / 0.4 = 20 Gb/s). The default ({d.CoreGbpsHttp} Gb/s) is a placeholder: measure yours");
        var https = Text("--core-gbps-https", "GBPS|S/GB", $"The same over HTTPS (default {d.CoreGbpsHttps} Gb/s, a placeholder too: measure yours)");
        var httpsShare = Text("--https-share", "RATIO", $"Share of bytes served over HTTPS: 0.8, 80% (default {Percent(d.HttpsShare)})");
        var utilization = Text("--max-utilization", "RATIO", $"Highest planned peak utilization of an edge's binding resource, leaving headroom for failover: 0.7, 70% (default {Percent(d.MaxUtilization)})");
        var replicas = Text("--replicas", "N", $"Copies of each title within a site, each on its own edge (default {d.ReplicasPerSite}; the fill planner's Fill:Replicas is 2)");
        var target = new Option<string[]>("--target")
        {
            Description = "Byte hit ratio to size the site caches for, repeatable: --target 0.97 --target 99%; 'none' sizes for throughput only (default 97% and 99%)",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "RATIO",
        };
        var simulate = new Option<bool>("--simulate")
        {
            Description = "Also simulate on-demand caching of each row's site cache with the engine's W-TinyLFU over a Zipf trace of the catalog " +
                $"(a catalog above 1M titles or requests / 50 is scaled down, keeping the share held) to cross-check the byte hit ratio",
        };
        var requests = Text("--simulate-requests", "N", $"Requests simulated per row: {Count(MinSimulationRequests)} to {Count(MaxSimulationRequests)} (default 2M; a fifth warms the cache)");

        var command = new Command("plan",
            "Capacity planning, offline (no control plane needed): for a peak of viewers × average bitrate, a catalog with Zipf popularity, " +
            "and what one edge stores and serves, prints the byte hit ratio a site reaches, the cache a target hit ratio needs, edges per site " +
            "and in all, what binds them (cpu, network or cache) and the upstream (shield and origin) egress. Units are decimal " +
            "(Mb/s = 10^6 bit/s, TB = 10^12 bytes) unless binary (GiB). The per-core defaults are placeholders: run bench/LoadBench on your " +
            "edge hardware, read its server CPU seconds per GB, and pass --core-gbps-http/--core-gbps-https (Gb/s per core = 8 / CPU-s per GB, " +
            "or pass e.g. 0.4s/GB as is). The method is in src/Cdn.Capacity/CapacityPlanner.cs; the README has a worked example.\n\n" +
            "Examples:\n" +
            "  edgectl plan --viewers 100M --bitrate 5Mb/s --target 97% --target 99%\n" +
            "  edgectl plan --viewers 2M --bitrate 4.5Mb/s --sites 12 --titles 8k --edge-storage 3.84TB --edge-nic 25Gb/s --edge-cores 16\n" +
            "  edgectl plan --core-gbps-http 0.35s/GB --core-gbps-https 1.9s/GB --https-share 80% --replicas 2\n" +
            "  edgectl plan --titles 5k --edge-storage 2TB --sites 10 --viewers 1M --simulate --json")
        {
            viewers, bitrate, sites, titles, titleHours, stored, alpha, storage, nic, cores, http, https, httpsShare, utilization, replicas, target, simulate, requests,
        };

        command.SetAction(parse =>
        {
            var problems = new List<string>();
            double? Read(Option<string> option, Parser parser)
            {
                if (parse.GetValue(option) is not { } text)
                {
                    return null;
                }

                var value = parser(text, out var problem);
                if (problem is not null)
                {
                    problems.Add($"{option.Name}: {problem}");
                }

                return value;
            }

            long? ReadWhole(Option<string> option, long max)
            {
                if (parse.GetValue(option) is not { } text)
                {
                    return null;
                }

                var value = Quantity.WholeCount(text, max, out var problem);
                if (problem is not null)
                {
                    problems.Add($"{option.Name}: {problem}");
                }

                return value;
            }

            var targets = ReadTargets(parse.GetValue(target), problems) ?? d.TargetHitRatios;
            var inputs = new CapacityInputs
            {
                Viewers = Read(viewers, Quantity.Count) ?? d.Viewers,
                BitrateMbps = Read(bitrate, (string t, out string? p) => Quantity.BitrateMbps(t, 1, out p)) ?? d.BitrateMbps,
                Sites = (int?)ReadWhole(sites, 1_000_000) ?? d.Sites,
                Titles = ReadWhole(titles, MaxTitles) ?? d.Titles,
                TitleHours = Read(titleHours, Quantity.Hours) ?? d.TitleHours,
                StoredMbpsPerTitle = Read(stored, (string t, out string? p) => Quantity.BitrateMbps(t, 1, out p)) ?? d.StoredMbpsPerTitle,
                Alpha = Read(alpha, Quantity.Number) ?? d.Alpha,
                EdgeStorageTB = Read(storage, Quantity.StorageTB) ?? d.EdgeStorageTB,
                EdgeNicGbps = Read(nic, (string t, out string? p) => Quantity.BitrateMbps(t, 1000, out p) / 1000) ?? d.EdgeNicGbps,
                EdgeCores = Read(cores, Quantity.Count) ?? d.EdgeCores,
                CoreGbpsHttp = Read(http, Quantity.CoreGbps) ?? d.CoreGbpsHttp,
                CoreGbpsHttps = Read(https, Quantity.CoreGbps) ?? d.CoreGbpsHttps,
                HttpsShare = Read(httpsShare, Quantity.Ratio) ?? d.HttpsShare,
                MaxUtilization = Read(utilization, Quantity.Ratio) ?? d.MaxUtilization,
                ReplicasPerSite = (int?)ReadWhole(replicas, 1000) ?? d.ReplicasPerSite,
                // Ascending, so rows go from the least cache to the most.
                TargetHitRatios = [.. targets.Distinct().Order()],
            };
            var simulated = ReadWhole(requests, int.MaxValue) ?? 2_000_000;
            if (simulated is < MinSimulationRequests or > MaxSimulationRequests)
            {
                problems.Add($"--simulate-requests: {simulated} is outside {Count(MinSimulationRequests)}–{Count(MaxSimulationRequests)} (the simulation is bounded in time and memory)");
            }

            // The inputs' own names are the options' names. An option that did not parse kept its (valid) default,
            // so this adds only the other options' problems: every one is reported at once.
            problems.AddRange(inputs.Validate().Select(p => "--" + p));

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    env.Error.WriteLine($"edgectl plan: {problem}");
                }

                env.Error.WriteLine("Run 'edgectl plan --help' for the options, their units and examples.");
                return ExitCodes.Usage;
            }

            var plan = CapacityPlanner.Plan(inputs, parse.GetValue(simulate), (int)simulated);
            if (parse.GetValue(EdgeCtlApp.Json))
            {
                env.Out.WriteLine(JsonSerializer.Serialize(plan, CliJson.Default.CapacityPlan));
                env.Out.Flush();
            }
            else
            {
                var placeholders = (parse.GetResult(http) is null, parse.GetResult(https) is null);
                Write(env.Console, plan, placeholders);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string> Text(string name, string helpName, string description) => new(name) { Description = description, HelpName = helpName };

    private static List<double>? ReadTargets(string[]? texts, List<string> problems)
    {
        if (texts is null || texts.Length == 0)
        {
            return null;
        }

        var targets = new List<double>();
        foreach (var text in texts.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (Quantity.Ratio(text, out var problem) is { } ratio)
            {
                targets.Add(ratio);
            }
            else
            {
                problems.Add($"--target: {problem}");
            }
        }

        return targets;
    }

    private static void Write(IAnsiConsole console, CapacityPlan plan, (bool Http, bool Https) placeholders)
    {
        var i = plan.Inputs;
        var cpuGbps = i.EdgeCores * plan.CoreGbps;
        var summary = new Grid().AddColumn(new GridColumn().PadRight(2)).AddColumn();
        void Summary(string what, string text) => summary.AddRow(what, Markup.Escape(text));
        Summary("Peak", $"{Count(i.Viewers)} viewers × {Number(i.BitrateMbps)} Mb/s = {Units.Bits(plan.PeakGbps)}");
        Summary("", $"{Units.Bits(plan.SitePeakGbps)} in each of {Count(i.Sites)} sites");
        Summary("One edge", $"{Units.Bits(plan.EdgeServeGbps)} planned: {plan.Bottleneck}-bound, {Units.Bits(Math.Min(cpuGbps, i.EdgeNicGbps))} × {Percent(i.MaxUtilization)}");
        Summary("", $"(NIC {Units.Bits(i.EdgeNicGbps)}; CPU {Number(i.EdgeCores)} cores × {Number(plan.CoreGbps)} Gb/s = {Units.Bits(cpuGbps)} at {Percent(i.HttpsShare)} HTTPS)");
        Summary("Catalog", $"{Count(i.Titles)} titles × {Units.Bytes(plan.TitleBytes)} = {Units.Bytes(plan.CatalogBytes)}, Zipf α {Number(i.Alpha)}");
        Summary("", $"the hottest title draws {Units.Bits(plan.HottestTitleGbpsPerSite)} per site");
        console.Write(summary);

        var table = new Table().AddColumn("");
        foreach (var row in plan.Rows)
        {
            table.AddColumn(new TableColumn(Markup.Escape(row.Sizing)).RightAligned());
        }

        void Line(string label, Func<CapacityRow, string> cell) => table.AddRow([label, .. plan.Rows.Select(r => Markup.Escape(cell(r)))]);
        Line("Edges per site", r => Count(r.EdgesPerSite));
        Line("Edges, all sites", r => Count(r.TotalEdges));
        Line("Bound by", r => r.Bottleneck);
        Line("Cache per site", r => Units.Bytes(r.SiteCacheBytes));
        Line("Cache the target needs", r => r.CacheNeededBytes is { } b ? Units.Bytes(b) : "–");
        Line("Titles held per site", r => r.TitlesHeld >= i.Titles ? $"{Count(r.TitlesHeld)} (all)" : Count(r.TitlesHeld));
        Line("Byte hit ratio", r => HitRatio(r.ByteHitRatio));
        Line("Upstream per site", r => Units.Bits(r.UpstreamGbpsPerSite));
        Line("Upstream, all sites", r => Units.Bits(r.UpstreamGbpsTotal));
        Line("Peak utilization", r => Percent(r.PeakUtilization));
        if (plan.Rows.Any(r => r.ReactiveByteHitRatio is not null))
        {
            Line("W-TinyLFU (simulated)", r => r.ReactiveByteHitRatio is { } h ? HitRatio(h) : "–");
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(
            "Byte hit ratio: a site holding its most popular titles (the overnight fill plan). Upstream: what a site's " +
            "edges fetch from the shields at the peak, an upper bound on the origin's egress (shields cache too)."));
        if (plan.HottestTitleGbpsPerSite > plan.EdgeServeGbps * i.ReplicasPerSite)
        {
            console.MarkupLine(Markup.Escape(
                $"Note: the hottest title draws {Units.Bits(plan.HottestTitleGbpsPerSite)} per site, more than its {i.ReplicasPerSite} replica(s) " +
                $"serve at the cap ({Units.Bits(plan.EdgeServeGbps * i.ReplicasPerSite)}). The fill planner places each rendition apart, which " +
                $"spreads it, but consider --replicas {(int)Math.Ceiling(plan.HottestTitleGbpsPerSite / plan.EdgeServeGbps)}."));
        }

        console.WriteLine();
        console.MarkupLine("Assumptions (decimal: Mb/s = 10^6 bit/s, Gb/s = 10^9 bit/s, TB = 10^12 bytes):");
        var assumptions = new Grid().AddColumn(new GridColumn().PadLeft(2).PadRight(2)).AddColumn(new GridColumn().PadRight(2)).AddColumn();
        void Assume(string option, string value, string meaning) => assumptions.AddRow(option, Markup.Escape(value), Markup.Escape(meaning));
        const string Measure = "PLACEHOLDER: measure, bench/LoadBench";
        Assume("--viewers", Count(i.Viewers), "concurrent viewers at the peak");
        Assume("--bitrate", $"{Number(i.BitrateMbps)} Mb/s", "average bitrate per viewer");
        Assume("--sites", Count(i.Sites), "sites sharing the peak evenly");
        Assume("--titles", Count(i.Titles), "titles, all equally long");
        Assume("--title-hours", $"{Number(i.TitleHours)} h", "average title length");
        Assume("--stored-bitrate", $"{Number(i.StoredMbpsPerTitle)} Mb/s", "stored per second of title");
        Assume("--alpha", Number(i.Alpha), "Zipf skew, same in every site");
        Assume("--edge-storage", $"{Number(i.EdgeStorageTB)} TB", "usable cache per edge");
        Assume("--edge-nic", $"{Number(i.EdgeNicGbps)} Gb/s", "network per edge");
        Assume("--edge-cores", Number(i.EdgeCores), "cores per edge serving");
        Assume("--core-gbps-http", $"{Number(i.CoreGbpsHttp)} Gb/s/core", placeholders.Http ? Measure : "cleartext, measured");
        Assume("--core-gbps-https", $"{Number(i.CoreGbpsHttps)} Gb/s/core", placeholders.Https ? Measure : "HTTPS, measured");
        Assume("--https-share", Percent(i.HttpsShare), "bytes served over HTTPS");
        Assume("--max-utilization", Percent(i.MaxUtilization), "peak use of the binding resource");
        Assume("--replicas", Count(i.ReplicasPerSite), "copies of a title per site");
        Assume("--target", i.TargetHitRatios.Count == 0 ? "none" : string.Join(", ", i.TargetHitRatios.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t * 100:0.###}%"))), "byte hit ratios sized for");
        console.Write(assumptions);
    }

    private static string Count(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio * 100:0.#}%");

    private static string HitRatio(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{ratio * 100:0.00}%");
}
