using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cdn.ControlPlane.Cli.Connection;
using Cdn.NodeAgent;
using Spectre.Console;

namespace Cdn.ControlPlane.Cli;

/// <summary>What a command runs with: the control plane client, the console, and whether to print JSON.</summary>
internal sealed class CommandContext
{
    private static readonly Cdn.Contracts.CdnJson Indented = new(new JsonSerializerOptions(Cdn.Contracts.CdnJson.Default.Options) { WriteIndented = true });

    public CommandContext(CliEnvironment environment, CliSettings settings, ControlPlaneClient client, bool json, CancellationToken cancellationToken)
    {
        Environment = environment;
        Settings = settings;
        Client = client;
        Json = json;
        CancellationToken = cancellationToken;
    }

    public CliEnvironment Environment { get; }

    public CliSettings Settings { get; }

    public ControlPlaneClient Client { get; }

    public bool Json { get; }

    public CancellationToken CancellationToken { get; }

    public IAnsiConsole Console => Environment.Console;

    public DateTimeOffset Now => Environment.Time.GetUtcNow();

    /// <summary>Contract types indented, for people piping into jq and reading too.</summary>
    public static Cdn.Contracts.CdnJson Wire => Indented;

    public void WriteJson<T>(T value, JsonTypeInfo<T> type)
    {
        Environment.Out.WriteLine(JsonSerializer.Serialize(value, type));
        Environment.Out.Flush();
    }

    /// <summary>A line of marked-up text (human output only).</summary>
    public void Line(string markup) => Console.MarkupLine(markup);
}
