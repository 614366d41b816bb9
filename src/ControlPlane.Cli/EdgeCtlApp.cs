using System.CommandLine;
using System.Net;
using Cdn.ControlPlane.Cli.Commands;
using Cdn.ControlPlane.Cli.Connection;
using Cdn.NodeAgent;

namespace Cdn.ControlPlane.Cli;

/// <summary>
/// edgectl's command tree and the frame every command runs in: settings resolved, a control-plane client, and
/// every failure turned into a message that says what to do and an exit code (<see cref="ExitCodes"/>).
/// </summary>
internal static class EdgeCtlApp
{
    public static readonly Option<string?> Server = new("--server", "-s")
    {
        Description = "Control plane API URL (default: EDGECTL_SERVER, the config file, or http://127.0.0.1:8080/)",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Bearer token (default: EDGECTL_TOKEN, --token-file, EDGECTL_TOKEN_FILE, or the config file)",
        Recursive = true,
    };

    public static readonly Option<string?> TokenFile = new("--token-file")
    {
        Description = "File whose first line is the bearer token",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "edgectl config file (default: EDGECTL_CONFIG, ~/.config/edgectl/config.json, /etc/edgenode/edgectl.json)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON for scripts instead of tables",
        Recursive = true,
    };

    public static readonly Option<TimeSpan> RequestTimeout = new("--request-timeout")
    {
        Description = "How long one API call may take (e.g. 00:00:10)",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        Recursive = true,
    };

    public static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand(
            "edgectl — operate an EdgeNode CDN through its control plane: nodes, drains, sites, coverage zones, routes, " +
            "fill plans, purges, statistics, turn-up checks for a new edge, and capacity planning (offline).\n\n" +
            "Examples:\n" +
            "  edgectl nodes --site ams\n" +
            "  edgectl fill plan --site ams && edgectl fill push --site ams\n" +
            "  edgectl purge https://video.cdn.example/title1/ --prefix\n" +
            "  edgectl doctor --edge-config /etc/edgenode/edgenode.json\n" +
            "  edgectl plan --viewers 100M --bitrate 5Mb/s --target 97% --target 99%\n\n" +
            "Settings: --server/--token, or EDGECTL_SERVER/EDGECTL_TOKEN, or ~/.config/edgectl/config.json " +
            "({ \"server\": \"https://cp.cdn.example:8443/\", \"tokenFile\": \"/etc/edgenode/edgectl.token\" }).\n" + ExitCodes.Help);
        root.Options.Add(Server);
        root.Options.Add(Token);
        root.Options.Add(TokenFile);
        root.Options.Add(Config);
        root.Options.Add(Json);
        root.Options.Add(RequestTimeout);
        // One file per command family.
        root.Subcommands.Add(NodeCommands.Nodes(env));
        root.Subcommands.Add(NodeCommands.Drain(env, drain: true));
        root.Subcommands.Add(NodeCommands.Drain(env, drain: false));
        root.Subcommands.Add(SiteCommands.Sites(env));
        root.Subcommands.Add(CoverageZoneCommands.Czf(env));
        root.Subcommands.Add(RouteCommand.Route(env));
        root.Subcommands.Add(FillCommands.Fill(env));
        root.Subcommands.Add(PurgeCommand.Purge(env));
        root.Subcommands.Add(StatsCommands.Stats(env));
        root.Subcommands.Add(StatsCommands.Top(env));
        root.Subcommands.Add(DoctorCommand.Doctor(env));
        root.Subcommands.Add(PlanCommand.Plan(env));
        ShortListings(root);
        return root;
    }

    /// <summary>
    /// Commands are written with their examples in the description ("…\n\nExamples:\n  …"). The examples are
    /// moved out, so a parent's list of commands shows one line each, and printed after the command's own
    /// --help by <see cref="ExamplesHelpAction"/>.
    /// </summary>
    private static void ShortListings(RootCommand root)
    {
        var examples = new Dictionary<Command, string>();
        var pending = new Stack<Command>([root]);
        while (pending.TryPop(out var command))
        {
            var description = command.Description ?? "";
            var at = description.IndexOf(ExamplesHeading, StringComparison.Ordinal);
            if (at >= 0)
            {
                examples[command] = description[(at + 2)..];
                command.Description = description[..at];
            }

            foreach (var sub in command.Subcommands)
            {
                pending.Push(sub);
            }
        }

        if (root.Options.OfType<System.CommandLine.Help.HelpOption>().FirstOrDefault() is { Action: System.CommandLine.Help.HelpAction help } option)
        {
            option.Action = new ExamplesHelpAction(help, examples);
        }
    }

    private const string ExamplesHeading = "\n\nExamples:\n";

    /// <summary>The standard help, then the command's examples.</summary>
    private sealed class ExamplesHelpAction(System.CommandLine.Help.HelpAction inner, Dictionary<Command, string> examples) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = inner.Invoke(parseResult);
            if (examples.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine(text.TrimEnd());
                output.WriteLine();
            }

            return code;
        }
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(env);
        var root = Build(env);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await env.Error.WriteLineAsync($"edgectl: {error.Message}");
            }

            await env.Error.WriteLineAsync($"Run 'edgectl {string.Join(' ', CommandPath(parse))} --help' for usage and examples.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var c = parse.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (c.Command is not RootCommand)
            {
                names.Insert(0, c.Command.Name);
            }
        }

        return names;
    }

    /// <summary>Runs <paramref name="body"/> with a client for the resolved control plane; maps failures to messages and exit codes.</summary>
    public static async Task<int> RunCommandAsync(ParseResult parse, CliEnvironment env, Func<CommandContext, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(body);
        CliSettings settings;
        try
        {
            settings = CliSettings.Resolve(parse.GetValue(Server), parse.GetValue(Token), parse.GetValue(TokenFile), parse.GetValue(Config), env);
        }
        catch (CliUsageException ex)
        {
            await env.Error.WriteLineAsync($"edgectl: {ex.Message}");
            return ExitCodes.Usage;
        }

        var timeout = parse.GetValue(RequestTimeout);
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { BaseAddress = settings.Server, Timeout = timeout };
        var client = new ControlPlaneClient(http, () => settings.Token ?? "");
        var context = new CommandContext(env, settings, client, parse.GetValue(Json), cancellationToken);
        try
        {
            return await body(context);
        }
        catch (CliUsageException ex)
        {
            await env.Error.WriteLineAsync($"edgectl: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (HttpRequestException ex)
        {
            await env.Error.WriteLineAsync(
                $"edgectl: cannot reach the control plane at {settings.Server} ({ex.Message}). The address came from {settings.ServerSource}: " +
                "check --server (or EDGECTL_SERVER, or \"server\" in the config file), that the control plane runs (systemctl status controlplane) " +
                "and that its Api:Listen address is reachable from here.");
            return ExitCodes.Unreachable;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await env.Error.WriteLineAsync($"edgectl: the control plane at {settings.Server} did not answer within {timeout.TotalSeconds:0.#} s; it may be overloaded or unreachable (raise --request-timeout to wait longer).");
            return ExitCodes.Unreachable;
        }
        catch (ControlPlaneException ex) when (ex.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            await env.Error.WriteLineAsync(settings.Token is null
                ? "edgectl: the control plane needs a token: pass --token or --token-file, set EDGECTL_TOKEN, or put \"tokenFile\" in the config file (a token from the control plane's Auth:Tokens)."
                : "edgectl: the control plane rejected the token: it must be one of the control plane's Auth:Tokens (check --token, EDGECTL_TOKEN or the config file).");
            return ExitCodes.Unauthorized;
        }
        catch (ControlPlaneException ex) when (ex.IsNotFound)
        {
            await env.Error.WriteLineAsync($"edgectl: {ex.Message}");
            return ExitCodes.NotFound;
        }
        catch (ControlPlaneException ex)
        {
            await env.Error.WriteLineAsync($"edgectl: {ex.Message}");
            return ExitCodes.Rejected;
        }
    }

    /// <summary>Sets the action of <paramref name="command"/> to run in the command frame.</summary>
    public static Command WithAction(this Command command, CliEnvironment env, Func<ParseResult, CommandContext, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parse, ct) => RunCommandAsync(parse, env, context => body(parse, context), ct));
        return command;
    }
}
