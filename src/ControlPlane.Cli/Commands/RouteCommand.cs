using System.CommandLine;
using System.Net;
using Cdn.ControlPlane.Cli.Connection;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary><c>edgectl route CLIENT</c>.</summary>
internal static class RouteCommand
{
    public static Command Route(CliEnvironment env)
    {
        var client = new Argument<string>("client-ip") { Description = "A client (or resolver) address, or a subnet as in EDNS Client Subnet: 10.1.2.3 or 10.1.2.0/24" };
        var command = new Command("route", "Which site and edges the GeoDNS would answer for a client, and why (coverage zone, fallbacks, skipped nodes).\n\nExamples:\n  edgectl route 10.1.2.3\n  edgectl route 2001:db8:1::/48 --json")
        {
            client,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var text = parse.GetValue(client)!;
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out _))
            {
                throw new CliUsageException($"'{text}' is not an IP address or subnet (e.g. 10.1.2.3 or 10.1.2.0/24)");
            }

            var decision = await ctx.Client.ExplainRouteAsync(text, ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(decision, CommandContext.Wire.RouteDecision);
                return ExitCodes.Ok;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Client", Markup.Escape(decision.Client));
            grid.AddRow("Coverage zone", Markup.Escape(decision.CoverageZone is null ? "none matched" : $"{decision.CoverageZone} ({decision.MatchedPrefix})"));
            grid.AddRow("Site", Markup.Escape(decision.Site ?? "none"));
            grid.AddRow("Answer", decision.Addresses.Count == 0 ? "[red]no addresses[/]" : Markup.Escape(string.Join(", ", decision.Addresses)));
            ctx.Console.Write(grid);
            ctx.Line("[bold]Why[/]");
            foreach (var reason in decision.Reasons)
            {
                ctx.Line($"  - {Markup.Escape(reason)}");
            }

            return ExitCodes.Ok;
        });
    }
}
