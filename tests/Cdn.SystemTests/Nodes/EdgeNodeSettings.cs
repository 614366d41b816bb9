namespace Cdn.SystemTests.Nodes;

/// <summary>What a test edge is started with; everything else is chosen by <see cref="EdgeNodeProcess"/>.</summary>
public sealed class EdgeNodeSettings
{
    /// <summary>Node name (Via, X-Cache, logs): letters, digits, '-', '.', '_'.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Where the edge's config, certificate, cache and log go (the caller owns and deletes it, e.g. a
    /// <see cref="TempDirectory"/>).
    /// </summary>
    public required string Directory { get; init; }

    /// <summary>Origin base URLs: <c>file:///srv/origin</c>, <c>http://127.0.0.1:8090</c>.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>Parent (origin shield) base URLs, tried before the origins.</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];

    /// <summary>
    /// Extra settings as configuration paths under <c>Edge</c> (<c>"Upstreams:FirstByteTimeout" = "00:00:02"</c>),
    /// passed as <c>--Edge:…=…</c> command-line overrides.
    /// </summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>Log every request (the <c>Cdn.Access</c> category at Information): useful when a test fails.</summary>
    public bool AccessLog { get; init; } = true;
}
