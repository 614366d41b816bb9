using System.CommandLine;
using Cdn.Contracts.Purge;
using Cdn.ControlPlane.Cli.Connection;
using Cdn.ControlPlane.Cli.Output;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Commands;

/// <summary><c>edgectl purge TARGET</c>.</summary>
internal static class PurgeCommand
{
    public static Command Purge(CliEnvironment env)
    {
        var target = new Argument<string?>("target") { Description = "URL (https://video.cdn.example/title1/seg_00001.m4s) or, with --prefix, a URL or host/path prefix", Arity = ArgumentArity.ZeroOrOne };
        var prefix = new Option<bool>("--prefix") { Description = "Purge everything under the target (also implied by a trailing '*')" };
        var noWait = new Option<bool>("--no-wait") { Description = "Start the purge and return its id without waiting" };
        var id = new Option<string?>("--id") { Description = "Follow an earlier purge instead of starting one" };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long to wait for every node", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };
        var command = new Command("purge",
            "Purge a URL or a prefix on every edge and shield (shields first), and follow it until every node confirmed. Nodes that are down are retried until they come back. Exit 0 done everywhere, 7 when --timeout passes first.\n\n" +
            "Examples:\n  edgectl purge https://video.cdn.example/title1/master.m3u8\n  edgectl purge video.cdn.example/title1/ --prefix\n  edgectl purge --id purge-20260101020304-1a2b3c4d5e6f --json")
        {
            target,
            prefix,
            noWait,
            id,
            timeout,
        };
        return command.WithAction(env, async (parse, ctx) =>
        {
            PurgeStatus status;
            if (parse.GetValue(id) is { } existing)
            {
                status = await ctx.Client.GetPurgeAsync(existing, ctx.CancellationToken);
            }
            else
            {
                var text = parse.GetValue(target)?.Trim();
                if (string.IsNullOrEmpty(text))
                {
                    throw new CliUsageException("name what to purge: a URL, or a prefix with --prefix (or --id to follow an earlier purge)");
                }

                var isPrefix = parse.GetValue(prefix) || text.EndsWith('*');
                status = await ctx.Client.PurgeAsync(new PurgeRequest(text.TrimEnd('*'), isPrefix ? PurgeKind.Prefix : PurgeKind.Url), ctx.CancellationToken);
                if (!ctx.Json)
                {
                    ctx.Line($"Purge [bold]{Markup.Escape(status.PurgeId)}[/] of {Markup.Escape(status.Target)} ({status.Kind.ToString().ToLowerInvariant()}) started on {status.Nodes.Count} nodes.");
                }
            }

            if (!parse.GetValue(noWait))
            {
                status = await FollowAsync(ctx, status, ctx.Now + parse.GetValue(timeout));
            }

            if (ctx.Json)
            {
                ctx.WriteJson(status, CommandContext.Wire.PurgeStatus);
            }
            else
            {
                Write(ctx, status);
            }

            return status.Complete || parse.GetValue(noWait) ? ExitCodes.Ok : ExitCodes.TimedOut;
        });
    }

    private static async Task<PurgeStatus> FollowAsync(CommandContext ctx, PurgeStatus status, DateTimeOffset deadline)
    {
        async Task<PurgeStatus> PollAsync(PurgeStatus s, Action<PurgeStatus>? show)
        {
            while (!s.Complete && ctx.Now < deadline)
            {
                await Task.Delay(ctx.Environment.PollInterval, ctx.Environment.Time, ctx.CancellationToken);
                s = await ctx.Client.GetPurgeAsync(s.PurgeId, ctx.CancellationToken);
                show?.Invoke(s);
            }

            return s;
        }

        if (ctx.Json || !ctx.Console.Profile.Capabilities.Interactive)
        {
            return await PollAsync(status, null);
        }

        var result = status;
        await ctx.Console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("nodes confirmed", maxValue: Math.Max(1, status.Nodes.Count));
                void Show(PurgeStatus s)
                {
                    task.Value = s.Nodes.Count(n => n.Done);
                    task.Description = $"{s.Nodes.Count(n => n.Done)}/{s.Nodes.Count} nodes confirmed";
                }

                Show(status);
                result = await PollAsync(status, Show);
                if (result.Complete)
                {
                    task.Value = task.MaxValue;
                }
            });
        return result;
    }

    private static void Write(CommandContext ctx, PurgeStatus status)
    {
        var table = new Table().AddColumns("Node", "Done", "Attempts", "Removed", "Last error");
        foreach (var n in status.Nodes)
        {
            table.AddRow(Markup.Escape(n.NodeId), n.Done ? "[green]yes[/]" : "[yellow]pending[/]", n.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                n.ObjectsRemoved.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(n.LastError ?? ""));
        }

        ctx.Console.Write(table);
        var pending = status.Nodes.Count(n => !n.Done);
        ctx.Line(status.Complete
            ? $"[green]Purge {Markup.Escape(status.PurgeId)} complete on all {status.Nodes.Count} nodes[/] ({status.Nodes.Sum(n => n.ObjectsRemoved)} objects removed)."
            : $"[yellow]Purge {Markup.Escape(status.PurgeId)}: {pending} of {status.Nodes.Count} nodes pending[/]; the control plane keeps retrying them. Follow with 'edgectl purge --id {Markup.Escape(status.PurgeId)}'.");
    }
}
