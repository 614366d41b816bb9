using System.CommandLine;
using Cdn.ControlPlane.Cli.Doctor;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary><c>edgectl doctor</c>: turn-up checks, run on the edge itself.</summary>
internal static class DoctorCommand
{
    public static Command Doctor(CliEnvironment env)
    {
        var config = new Option<string>("--edge-config") { Description = "The edge's configuration file", DefaultValueFactory = _ => "/etc/edgenode/edgenode.json" };
        var timeout = new Option<TimeSpan>("--check-timeout") { Description = "How long each network check may take", DefaultValueFactory = _ => TimeSpan.FromSeconds(3) };
        var command = new Command("doctor",
            "Turn-up checks for a freshly installed edge, run on the edge: configuration valid, ports bindable, cache volumes writable and sized, " +
            "control plane reachable (and the site known), upstreams reachable, clock in step with the control plane. Each check passes or says how to fix it. Exit 0 when none fails, 1 otherwise.\n\n" +
            "Examples:\n  sudo edgectl doctor\n  edgectl doctor --edge-config ./edgenode.json --json")
        {
            config,
            timeout,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var report = await new EdgeDoctor(ctx.Environment.Time, parse.GetValue(timeout)).RunAsync(parse.GetValue(config)!, ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(report, CliJson.Default.DoctorReport);
            }
            else
            {
                var table = new Table().AddColumns("Check", "Result", "Detail", "Fix");
                foreach (var c in report.Checks)
                {
                    table.AddRow(Markup.Escape(c.Name), c.Status switch
                    {
                        DoctorStatus.Pass => "[green]pass[/]",
                        DoctorStatus.Warn => "[yellow]warn[/]",
                        DoctorStatus.Fail => "[red]FAIL[/]",
                        _ => "[grey]skip[/]",
                    }, Markup.Escape(c.Detail), Markup.Escape(c.Fix ?? ""));
                }

                ctx.Console.Write(table);
                var failed = report.Checks.Count(c => c.Status == DoctorStatus.Fail);
                ctx.Line(failed == 0 ? "[green]All checks passed.[/]" : $"[red]{failed} check(s) failed[/]: fix them and run edgectl doctor again.");
            }

            return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
        });
    }
}
