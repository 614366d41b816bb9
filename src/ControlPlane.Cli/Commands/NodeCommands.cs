using System.CommandLine;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Cli.Output;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary><c>edgectl nodes</c>, <c>edgectl drain</c>, <c>edgectl undrain</c>.</summary>
internal static class NodeCommands
{
    public static Command Nodes(CliEnvironment env)
    {
        var site = new Option<string?>("--site") { Description = "Only nodes of this site" };
        var role = new Option<NodeRole?>("--role") { Description = "Only edges or only shields" };
        var command = new Command("nodes",
            "List nodes with their health, load and drain state.\n\n" +
            "Examples:\n  edgectl nodes\n  edgectl nodes --site ams --role edge\n  edgectl nodes --json | jq '.[] | select(.state != \"Up\") | .nodeId'")
        {
            site,
            role,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var nodes = (await ctx.Client.ListNodesAsync(ctx.CancellationToken))
                .Where(n => (parse.GetValue(site) is not { } s || n.Site == s) && (parse.GetValue(role) is not { } r || n.Role == r)).ToList();
            if (ctx.Json)
            {
                ctx.WriteJson<IReadOnlyList<NodeStatus>>(nodes, CommandContext.Wire.IReadOnlyListNodeStatus);
                return ExitCodes.Ok;
            }

            if (nodes.Count == 0)
            {
                ctx.Line("No nodes registered" + (parse.GetValue(site) is { } s2 ? $" in site {Markup.Escape(s2)}" : "") + ". Nodes register themselves when their ControlPlane section points here.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Node", "Role", "Site", "State", "Drained", "Gb/s", "Conns", "Hit %", "Cache", "Heartbeat", "Reason");
            foreach (var n in nodes)
            {
                table.AddRow(
                    Markup.Escape(n.NodeId), n.Role.ToString().ToLowerInvariant(), Markup.Escape(n.Site), StateMarkup(n.State),
                    n.Drained ? "[yellow]yes[/]" : "no",
                    n.Load is { } load ? Units.Number(load.GbpsOut, "0.00") : "-",
                    n.Load?.Connections.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    n.Cache is { } c ? Units.Percent(c.HitRatio) : "-",
                    n.Cache is { } cache ? $"{Units.Bytes(cache.BytesUsed)} / {Units.Bytes(cache.BytesCapacity)}" : "-",
                    Units.Ago(n.LastHeartbeat, ctx.Now),
                    Markup.Escape(n.Reason ?? ""));
            }

            ctx.Console.Write(table);
            ctx.Line($"{nodes.Count} nodes: {nodes.Count(n => n.State == NodeState.Up)} up, {nodes.Count(n => n.State == NodeState.Down)} down, {nodes.Count(n => n.Drained)} drained");
            return ExitCodes.Ok;
        });
    }

    public static Command Drain(CliEnvironment env, bool drain)
    {
        var node = new Argument<string>("node") { Description = "Node id (see edgectl nodes)" };
        var command = new Command(drain ? "drain" : "undrain", drain
            ? "Stop routing new players to a node; players it serves keep going. The drain survives restarts of node and control plane.\n\nExamples:\n  edgectl drain edge-ams-01"
            : "Route new players to a drained node again.\n\nExamples:\n  edgectl undrain edge-ams-01")
        {
            node,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var id = parse.GetValue(node)!;
            var status = drain ? await ctx.Client.DrainAsync(id, ctx.CancellationToken) : await ctx.Client.UndrainAsync(id, ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(status, CommandContext.Wire.NodeStatus);
            }
            else if (drain)
            {
                ctx.Line($"[yellow]{Markup.Escape(id)} drained[/]: GeoDNS stops handing it to new players within one answer TTL; current sessions continue. Undo with 'edgectl undrain {Markup.Escape(id)}'.");
            }
            else
            {
                ctx.Line($"[green]{Markup.Escape(id)} undrained[/]: it gets new players again while it is {status.State.ToString().ToLowerInvariant()}.");
            }

            return ExitCodes.Ok;
        });
    }

    public static string StateMarkup(NodeState state) => state switch
    {
        NodeState.Up => "[green]up[/]",
        NodeState.Down => "[red]down[/]",
        _ => "[yellow]pending[/]",
    };
}
