using System.CommandLine;
using Cdn.Contracts.Routing;
using Cdn.ControlPlane.Cli.Output;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary><c>edgectl sites</c>.</summary>
internal static class SiteCommands
{
    public static Command Sites(CliEnvironment env)
    {
        var command = new Command("sites", "List sites: fill window, fill capacity, fallbacks and the coverage zones routed to each.\n\nExamples:\n  edgectl sites\n  edgectl sites --json");
        return command.WithAction(env, async (_, ctx) =>
        {
            var sites = await ctx.Client.ListSitesAsync(ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(sites, CommandContext.Wire.IReadOnlyListSiteInfo);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Site", "Location", "Fill window", "Fill capacity", "Fallbacks", "Coverage zones");
            foreach (var s in sites)
            {
                table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Location), Markup.Escape($"{s.FillWindow.Start:HH\\:mm}–{s.FillWindow.End:HH\\:mm} {s.FillWindow.TimeZone}"),
                    s.CapacityBytes > 0 ? Units.Bytes(s.CapacityBytes) : "from edges", Markup.Escape(string.Join(", ", s.Fallbacks)),
                    Markup.Escape(string.Join(", ", s.CoverageZones is { Count: > 0 } z ? z : [s.Name])));
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
    }
}
