using System.CommandLine;
using Cdn.ControlPlane.Cli.Connection;
using Cdn.NodeAgent;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary><c>edgectl czf validate|apply FILE</c>.</summary>
internal static class CoverageZoneCommands
{
    public static Command Czf(CliEnvironment env)
    {
        var command = new Command("czf", "Coverage zone files (Traffic Control CZF JSON): check one, or put it in force.\n\nExamples:\n  edgectl czf validate czf.json\n  edgectl czf apply czf.json");
        command.Subcommands.Add(Sub(env, apply: false));
        command.Subcommands.Add(Sub(env, apply: true));
        return command;
    }

    private static Command Sub(CliEnvironment env, bool apply)
    {
        var file = new Argument<FileInfo>("file") { Description = "The CZF JSON file" };
        var command = new Command(apply ? "apply" : "validate", apply
            ? "Upload a coverage zone file; a bad one is rejected whole and the zones in force stay. Exit 0 applied, 6 rejected.\n\nExamples:\n  edgectl czf apply /etc/edgenode/czf.json"
            : "Check a coverage zone file exactly as the control plane would, without applying it. Exit 0 valid, 1 invalid.\n\nExamples:\n  edgectl czf validate czf.json && edgectl czf apply czf.json")
        {
            file,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliUsageException($"file '{path.FullName}' does not exist");
            }

            var json = await File.ReadAllTextAsync(path.FullName, ctx.CancellationToken);
            try
            {
                var summary = apply
                    ? await ctx.Client.PutCoverageZonesAsync(json, ctx.CancellationToken)
                    : await ctx.Client.ValidateCoverageZonesAsync(json, ctx.CancellationToken);
                if (ctx.Json)
                {
                    ctx.WriteJson(summary, CommandContext.Wire.CoverageZoneSummary);
                }
                else
                {
                    ctx.Line($"[green]{Markup.Escape(path.Name)} {(apply ? "applied" : "is valid")}[/]: {summary.Zones} zones, {summary.Networks} networks" +
                        (summary.Revision is { } r ? $", revision {Markup.Escape(r)}" : ""));
                }

                return ExitCodes.Ok;
            }
            catch (ControlPlaneException ex) when (ex.Status == System.Net.HttpStatusCode.BadRequest)
            {
                await ctx.Environment.Error.WriteLineAsync($"edgectl: {path.Name} {(apply ? "rejected; the zones in force stay" : "is invalid")}: {ex.Message}");
                return apply ? ExitCodes.Rejected : ExitCodes.Failed;
            }
        });
    }
}
