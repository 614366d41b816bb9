using System.CommandLine;
using Cdn.Contracts.Fill;
using Cdn.ControlPlane.Cli.Connection;
using Cdn.ControlPlane.Cli.Output;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary><c>edgectl fill plan|show|push|status</c>.</summary>
internal static class FillCommands
{
    public static Command Fill(CliEnvironment env)
    {
        var command = new Command("fill",
            "Fill plans: what each site's edges hold, filled overnight inside the site's fill window.\n\n" +
            "Examples:\n  edgectl fill plan --site ams\n  edgectl fill push --site ams\n  edgectl fill status --site ams --watch");
        command.Subcommands.Add(Plan(env));
        command.Subcommands.Add(Show(env));
        command.Subcommands.Add(Push(env));
        command.Subcommands.Add(Status(env));
        return command;
    }

    private static Option<string> SiteOption() => new("--site") { Description = "The site", Required = true };

    private static Command Plan(CliEnvironment env)
    {
        var site = SiteOption();
        var push = new Option<bool>("--push") { Description = "Make it the active plan at once" };
        var command = new Command("plan",
            "Compute the site's next plan from the catalog, the site's demand, pins and its active plan; a draft unless --push. Shows what it would add, keep and release, and the churn.\n\n" +
            "Examples:\n  edgectl fill plan --site ams\n  edgectl fill plan --site ams --push --json")
        {
            site,
            push,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var summary = await ctx.Client.ComputeFillPlanAsync(new FillPlanRequest(parse.GetValue(site)!, parse.GetValue(push)), ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(summary, CommandContext.Wire.FillPlanSummary);
                return ExitCodes.Ok;
            }

            WriteSummary(ctx, summary);
            if (summary.State == FillPlanState.Draft)
            {
                ctx.Line($"Push it with: edgectl fill push --site {Markup.Escape(summary.Site)} --version {summary.Version}");
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Show(CliEnvironment env)
    {
        var site = SiteOption();
        var version = new Option<long?>("--version") { Description = "A plan version (default: the active plan)" };
        var items = new Option<int>("--items") { Description = "Items listed per section", DefaultValueFactory = _ => 15 };
        var command = new Command("show", "Show a plan: its numbers and its first items (--json: every item).\n\nExamples:\n  edgectl fill show --site ams\n  edgectl fill show --site ams --version 7 --items 50")
        {
            site,
            version,
            items,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var name = parse.GetValue(site)!;
            var plan = await ctx.Client.GetFillPlanAsync(name, parse.GetValue(version), ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(plan, CommandContext.Wire.FillPlan);
                return ExitCodes.Ok;
            }

            WriteSummary(ctx, await ctx.Client.GetFillPlanSummaryAsync(name, plan.Version, ctx.CancellationToken));
            var limit = Math.Max(0, parse.GetValue(items));
            foreach (var (title, list) in new[] { ("Add", plan.Add), ("Keep", plan.Keep), ("Release", plan.Release) })
            {
                if (list.Count == 0)
                {
                    continue;
                }

                var table = new Table().Title($"{title} ({list.Count} items{(list.Count > limit ? $", first {limit}" : "")})").AddColumns("Path", "Title", "Objects", "Size", "Edges");
                foreach (var item in list.Take(limit))
                {
                    table.AddRow(Markup.Escape(item.Path), Markup.Escape(item.TitleId), item.Objects.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Units.Bytes(item.SizeBytes), Markup.Escape(string.Join(", ", item.Nodes)));
                }

                ctx.Console.Write(table);
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Push(CliEnvironment env)
    {
        var site = SiteOption();
        var version = new Option<long?>("--version") { Description = "The version to push (default: the newest draft)" };
        var command = new Command("push", "Make a plan version the site's active plan; its edges fetch it with their next heartbeat.\n\nExamples:\n  edgectl fill push --site ams\n  edgectl fill push --site ams --version 7")
        {
            site,
            version,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var name = parse.GetValue(site)!;
            var v = parse.GetValue(version);
            if (v is null)
            {
                var draft = (await ctx.Client.ListFillPlansAsync(name, ctx.CancellationToken)).FirstOrDefault(p => p.State == FillPlanState.Draft)
                    ?? throw new CliUsageException($"site {name} has no draft plan to push: compute one with 'edgectl fill plan --site {name}'");
                v = draft.Version;
            }

            var summary = await ctx.Client.PushFillPlanAsync(name, v.Value, ctx.CancellationToken);
            if (ctx.Json)
            {
                ctx.WriteJson(summary, CommandContext.Wire.FillPlanSummary);
            }
            else
            {
                ctx.Line($"[green]site {Markup.Escape(name)}: plan v{summary.Version} is active[/] (was v{summary.BaseVersion}); edges fetch it with their next heartbeat and fill inside the window. Follow with 'edgectl fill status --site {Markup.Escape(name)} --watch'.");
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Status(CliEnvironment env)
    {
        var site = new Option<string?>("--site") { Description = "Only edges of this site" };
        var watch = new Option<bool>("--watch") { Description = "Live progress bars per edge until every edge is done (Ctrl-C stops watching, not filling)" };
        var wait = new Option<bool>("--wait") { Description = "Wait until every edge is done; exit 7 when --timeout passes first" };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long --watch/--wait wait", DefaultValueFactory = _ => TimeSpan.FromHours(12) };
        var command = new Command("status",
            "Each edge's progress on its part of the active plan: objects and bytes done, rate, failing objects, window, activity.\n\n" +
            "Examples:\n  edgectl fill status\n  edgectl fill status --site ams --watch\n  edgectl fill status --site ams --wait --timeout 06:00:00 --json")
        {
            site,
            watch,
            wait,
            timeout,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            var name = parse.GetValue(site);
            var deadline = ctx.Now + parse.GetValue(timeout);
            var follow = parse.GetValue(watch) || parse.GetValue(wait);
            var snapshot = await SnapshotAsync(ctx, name);
            if (follow && parse.GetValue(watch) && !ctx.Json && ctx.Console.Profile.Capabilities.Interactive)
            {
                snapshot = await WatchAsync(ctx, name, snapshot, deadline);
            }
            else
            {
                while (follow && !AllDone(snapshot) && ctx.Now < deadline)
                {
                    await Task.Delay(ctx.Environment.PollInterval, ctx.Environment.Time, ctx.CancellationToken);
                    snapshot = await SnapshotAsync(ctx, name);
                }
            }

            if (ctx.Json)
            {
                ctx.WriteJson(snapshot.Progress, CommandContext.Wire.IReadOnlyListFillProgress);
            }
            else
            {
                WriteStatus(ctx, snapshot);
            }

            return follow && !AllDone(snapshot) ? ExitCodes.TimedOut : ExitCodes.Ok;
        });
    }

    private sealed record FillSnapshot(IReadOnlyList<FillProgress> Progress, IReadOnlyDictionary<string, long> Active);

    private static async Task<FillSnapshot> SnapshotAsync(CommandContext ctx, string? site)
    {
        var progress = await ctx.Client.ListFillProgressAsync(site, ctx.CancellationToken);
        var active = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var plan in await ctx.Client.ListFillPlansAsync(site, ctx.CancellationToken))
        {
            if (plan.State == FillPlanState.Active)
            {
                active[plan.Site] = plan.Version;
            }
        }

        return new FillSnapshot(progress, active);
    }

    /// <summary>Every edge of a site with an active plan reports that version, all of it done and nothing failing.</summary>
    private static bool AllDone(FillSnapshot s)
        => s.Progress.Count > 0 && s.Progress.All(p => !s.Active.TryGetValue(p.Site, out var v) || (p.PlanVersion == v && p.ObjectsDone >= p.ObjectsTotal && p.Errors == 0));

    private static async Task<FillSnapshot> WatchAsync(CommandContext ctx, string? site, FillSnapshot snapshot, DateTimeOffset deadline)
    {
        await ctx.Console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                while (true)
                {
                    foreach (var p in snapshot.Progress)
                    {
                        if (!tasks.TryGetValue(p.NodeId, out var task))
                        {
                            tasks[p.NodeId] = task = progress.AddTask(p.NodeId, maxValue: Math.Max(1, p.BytesTotal));
                        }

                        task.MaxValue = Math.Max(1, p.BytesTotal);
                        task.Value = Math.Min(p.BytesDone, task.MaxValue);
                        task.Description = Markup.Escape($"{p.NodeId} v{p.PlanVersion} {p.ObjectsDone}/{p.ObjectsTotal} · {p.Activity ?? ""}");
                    }

                    if (AllDone(snapshot) || ctx.Now >= deadline)
                    {
                        return;
                    }

                    await Task.Delay(ctx.Environment.PollInterval, ctx.Environment.Time, ctx.CancellationToken);
                    snapshot = await SnapshotAsync(ctx, site);
                }
            });
        return snapshot;
    }

    private static void WriteStatus(CommandContext ctx, FillSnapshot s)
    {
        if (s.Progress.Count == 0)
        {
            ctx.Line("No edge has reported fill progress yet. Edges report once they run with a ControlPlane section and a Fill:Host.");
            return;
        }

        var table = new Table().AddColumns("Edge", "Site", "Plan", "Objects", "Bytes", "Rate", "Failing", "Window", "Activity", "Reported");
        foreach (var p in s.Progress)
        {
            var active = s.Active.GetValueOrDefault(p.Site);
            var plan = active == 0 ? $"v{p.PlanVersion}" : p.PlanVersion == active ? $"v{p.PlanVersion}" : $"[yellow]v{p.PlanVersion} (v{active} active)[/]";
            table.AddRow(Markup.Escape(p.NodeId), Markup.Escape(p.Site), plan, $"{p.ObjectsDone}/{p.ObjectsTotal}",
                $"{Units.Bar(p.BytesTotal == 0 ? 1 : (double)p.BytesDone / p.BytesTotal, 12)} {Units.Bytes(p.BytesDone)}/{Units.Bytes(p.BytesTotal)}",
                Units.Rate(p.RateBytesPerSecond), p.Errors == 0 ? "0" : $"[red]{p.Errors}[/]", p.InWindow ? "[green]open[/]" : "closed",
                Markup.Escape(p.Activity ?? "") + (p.LastError is { } e && p.Errors > 0 ? $"\n[red]{Markup.Escape(e)}[/]" : ""),
                Units.Ago(p.ReportedAt, ctx.Now));
        }

        ctx.Console.Write(table);
    }

    private static void WriteSummary(CommandContext ctx, FillPlanSummary s)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Plan", Markup.Escape($"{s.Site} v{s.Version} ({s.State.ToString().ToLowerInvariant()}, computed {Units.Ago(s.CreatedAt, ctx.Now)} against v{s.BaseVersion})"));
        grid.AddRow("Edges", $"{s.Nodes}, {Units.Bytes(s.CapacityBytes)} fill capacity, {Units.Bytes(s.PlannedBytes)} planned ({Units.Percent(s.CapacityBytes == 0 ? 0 : (double)s.PlannedBytes / s.CapacityBytes)})");
        grid.AddRow("Add", $"{s.AddObjects} objects, {Units.Bytes(s.AddBytes)}");
        grid.AddRow("Keep", $"{s.KeepObjects} objects, {Units.Bytes(s.KeepBytes)}");
        grid.AddRow("Release", $"{s.ReleaseObjects} objects, {Units.Bytes(s.ReleaseBytes)}");
        grid.AddRow("Churn", $"{Units.Percent(s.Churn)} of the planned bytes are new");
        grid.AddRow("Computed in", $"{Units.Number(s.ComputeMilliseconds, "0.0")} ms");
        grid.AddRow("Method", Markup.Escape(s.Method));
        ctx.Console.Write(grid);
        foreach (var w in s.Warnings)
        {
            ctx.Line($"[yellow]warning:[/] {Markup.Escape(w)}");
        }
    }
}
