using Cdn.ControlPlane.Cli;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli.Tests.Support;

/// <summary>Runs edgectl in-process with a recording console and an environment of the test's choosing.</summary>
internal static class EdgeCtl
{
    public sealed record Result(int Exit, string Out, string Error)
    {
        public override string ToString() => $"exit {Exit}\n--- out\n{Out}\n--- err\n{Error}";
    }

    /// <summary>Runs <paramref name="args"/> as given; <paramref name="variables"/> is the whole environment edgectl sees.</summary>
    public static async Task<Result> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string>? variables, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 250;
        var env = new CliEnvironment
        {
            Console = console,
            Out = output,
            Error = error,
            Variable = name => variables is not null && variables.TryGetValue(name, out var v) ? v : null,
            HomeDirectory = Path.Combine(Path.GetTempPath(), "edgectl-test-home-none"),
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        var exit = await EdgeCtlApp.RunAsync(args, env);
        return new Result(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs <paramref name="args"/> in an empty environment.</summary>
    public static Task<Result> RunAsync(params string[] args) => RunWithEnvironmentAsync(null, args);

    /// <summary>Runs against <paramref name="server"/> with <paramref name="token"/> given as flags.</summary>
    public static Task<Result> RunAgainstAsync(Uri server, string token, params string[] args)
        => RunWithEnvironmentAsync(null, [.. args, "--server", server.ToString(), "--token", token]);
}
