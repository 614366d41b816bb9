using System.CommandLine;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Cli.Output;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary><c>edgectl stats</c> and <c>edgectl top</c>.</summary>
internal static class StatsCommands
{
    public static Command Stats(CliEnvironment env)
    {
        var site = new Option<string?>("--site") { Description = "Only this site" };
        var command = new Command("stats", "Per site and role: nodes up, egress in Gb/s, requests/s, hit and byte-hit ratios, cache use (from the last heartbeats).\n\nExamples:\n  edgectl stats\n  edgectl stats --site ams --json")
        {
            site,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var stats = await ctx.Client.GetStatsAsync(parse.GetValue(site), 1, 1, ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(stats, CommandContext.Wire.FleetStats);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Site", "Role", "Up", "Gb/s", "Req/s", "Conns", "Hit %", "Byte hit %", "Cache used");
            foreach (var s in stats.Sites)
            {
                table.AddRow(Markup.Escape(s.Site), s.Role.ToString().ToLowerInvariant(), $"{s.NodesUp}/{s.Nodes}", Units.Number(s.GbpsOut, "0.00"),
                    Units.Number(s.RequestsPerSecond, "0"), s.Connections.ToString(System.Globalization.CultureInfo.InvariantCulture), Units.Percent(s.HitRatio),
                    Units.Percent(s.ByteHitRatio), $"{Units.Bytes(s.BytesUsed)} / {Units.Bytes(s.BytesCapacity)}");
            }

            var edges = stats.Sites.Where(s => s.Role == NodeRole.Edge).ToList();
            table.AddRow("[bold]all edges[/]", "", $"{edges.Sum(s => s.NodesUp)}/{edges.Sum(s => s.Nodes)}", Units.Number(edges.Sum(s => s.GbpsOut), "0.00"),
                Units.Number(edges.Sum(s => s.RequestsPerSecond), "0"), edges.Sum(s => s.Connections).ToString(System.Globalization.CultureInfo.InvariantCulture), "", "",
                $"{Units.Bytes(edges.Sum(s => s.BytesUsed))} / {Units.Bytes(edges.Sum(s => s.BytesCapacity))}");
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
    }

    public static Command Top(CliEnvironment env)
    {
        var site = new Option<string?>("--site") { Description = "Only this site's demand" };
        var hours = new Option<double>("--hours") { Description = "The window, in hours", DefaultValueFactory = _ => 24 };
        var limit = new Option<int>("--limit", "-n") { Description = "Rows", DefaultValueFactory = _ => 10 };
        var command = new Command("top", "The most requested titles and objects over a recent window (edges' heartbeat popularity).\n\nExamples:\n  edgectl top\n  edgectl top --site ams --hours 1 -n 20")
        {
            site,
            hours,
            limit,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var stats = await ctx.Client.GetStatsAsync(parse.GetValue(site), parse.GetValue(limit), parse.GetValue(hours), ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(stats, CommandContext.Wire.FleetStats);
                return ExitCodes.Ok;
            }

            var titles = new Table().Title($"Top titles, last {Units.Number(stats.WindowHours)} h").AddColumns("#", "Title", "Requests", "Bytes");
            var rank = 1;
            foreach (var t in stats.TopTitles)
            {
                titles.AddRow((rank++).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(t.TitleId), t.Requests.ToString(System.Globalization.CultureInfo.InvariantCulture), Units.Bytes(t.Bytes));
            }

            var objects = new Table().Title("Top objects").AddColumns("#", "Path", "Requests", "Bytes");
            rank = 1;
            foreach (var o in stats.TopObjects)
            {
                objects.AddRow((rank++).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(o.Key), o.Requests.ToString(System.Globalization.CultureInfo.InvariantCulture), Units.Bytes(o.Bytes));
            }

            if (stats.TopTitles.Count == 0)
            {
                ctx.Line("No demand recorded in this window yet (edges report their top objects with every heartbeat).");
            }
            else
            {
                ctx.Console.Write(titles);
                ctx.Console.Write(objects);
            }

            return ExitCodes.Ok;
        });
    }
}
