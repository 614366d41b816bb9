using Spectre.Console;

namespace Cdn.ControlPlane.Cli;

/// <summary>What edgectl touches outside itself, so tests can run it in-process: the console, stderr, the environment, the home directory.</summary>
internal sealed class CliEnvironment
{
    public required IAnsiConsole Console { get; init; }

    /// <summary>Where machine output (--json) and help text go: the console's own writer.</summary>
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required Func<string, string?> Variable { get; init; }

    public string? HomeDirectory { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often waiting commands poll (purge, fill status --wait).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public static CliEnvironment FromProcess() => new()
    {
        Console = AnsiConsole.Console,
        Out = System.Console.Out,
        Error = System.Console.Error,
        Variable = Environment.GetEnvironmentVariable,
        HomeDirectory = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
    };
}
