namespace Cdn.SystemTests.Nodes;

/// <summary>What a test cache node (edge or shield) is started with; everything else is chosen by <see cref="CacheNodeProcess"/>.</summary>
public sealed class CacheNodeSettings
{
    /// <summary>Which daemon: <see cref="CacheNodeDaemon.Edge"/> (default) or <see cref="CacheNodeDaemon.Shield"/>.</summary>
    public CacheNodeDaemon Daemon { get; init; } = CacheNodeDaemon.Edge;

    /// <summary>Node name (Via, X-Cache, logs): letters, digits, '-', '.', '_'.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Where the node's config, certificate, cache and log go (the caller owns and deletes it, e.g. a
    /// <see cref="TempDirectory"/>).
    /// </summary>
    public required string Directory { get; init; }

    /// <summary>Origin base URLs: <c>file:///srv/origin</c>, <c>http://127.0.0.1:8090</c>.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>Parent (origin shield) base URLs, tried before the origins.</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];

    /// <summary>
    /// Extra settings as configuration paths under the daemon's section (<c>"Upstreams:FirstByteTimeout" = "00:00:02"</c>,
    /// <c>"Upstreams:Parents:0:Name" = "shield-a"</c>), passed as <c>--Edge:…=…</c> (<c>--Shield:…</c>) command-line overrides.
    /// </summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>Serve HTTPS too (a certificate from a fresh dev CA); players need it, a shield usually does not.</summary>
    public bool Https { get; init; } = true;

    /// <summary>Log every request (the <c>Cdn.Access</c> category at Information): useful when a test fails.</summary>
    public bool AccessLog { get; init; } = true;
}
