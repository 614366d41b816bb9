using System.Text.Json.Nodes;

namespace LocalCdn.Nodes;

/// <summary>What a cache node (edge or shield) is started with; ports left out are chosen free by <see cref="CacheNodeProcess"/>.</summary>
public sealed class CacheNodeSettings
{
    /// <summary>Which daemon: <see cref="CacheNodeDaemon.Edge"/> (default) or <see cref="CacheNodeDaemon.Shield"/>.</summary>
    public CacheNodeDaemon Daemon { get; init; } = CacheNodeDaemon.Edge;

    /// <summary>Node name (Via, X-Cache, logs, its id at the control plane): letters, digits, '-', '.', '_'.</summary>
    public required string Name { get; init; }

    /// <summary>Where the node's config, certificate, cache and log go (the caller owns it).</summary>
    public required string Directory { get; init; }

    /// <summary>The node's site (GeoDNS answers an edge for clients of its site's coverage zones).</summary>
    public string Site { get; init; } = "local";

    /// <summary>Loopback address every listener binds (edges of a local CDN get one each: 127.0.0.11, 127.0.0.12…).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>Ports chosen beforehand (a topology), or null for free ones.</summary>
    public CacheNodePorts? Ports { get; init; }

    /// <summary>Origin base URLs: <c>file:///srv/origin</c>, <c>http://127.0.0.1:8090</c>.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>Parents (origin shields), tried before the origins: rendezvous-hashed by name.</summary>
    public IReadOnlyList<ParentServer> Parents { get; init; } = [];

    /// <summary>
    /// Extra settings as configuration paths under the daemon's section (<c>"Upstreams:FirstByteTimeout" = "00:00:02"</c>),
    /// passed as <c>--Edge:…=…</c> (<c>--Shield:…</c>) command-line overrides.
    /// </summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>Serve HTTPS too (a certificate from the dev CA in <see cref="CertificateAuthorityDirectory"/>); players need it, a shield does not.</summary>
    public bool Https { get; init; } = true;

    /// <summary>Names the HTTPS certificate covers besides <c>localhost</c> and <see cref="Address"/> (the CDN host name).</summary>
    public IReadOnlyList<string> CertificateNames { get; init; } = [];

    /// <summary>The dev CA that issues the certificate (created when missing); null: one of the node's own.</summary>
    public string? CertificateAuthorityDirectory { get; init; }

    /// <summary>The admin API's bearer token.</summary>
    public string AdminToken { get; init; } = CacheNodeProcess.DefaultAdminToken;

    /// <summary>The node agent's settings (the section's <c>ControlPlane</c>): registration and heartbeats; null: not registered.</summary>
    public JsonObject? ControlPlane { get; init; }

    /// <summary>The edge fill agent's top-level <c>Fill</c> section (needs <see cref="ControlPlane"/>); null: fills only on misses.</summary>
    public JsonObject? Fill { get; init; }

    /// <summary>Bytes of the one cache volume.</summary>
    public long CacheCapacityBytes { get; init; } = 512L << 20;

    /// <summary>Log every request (the <c>Cdn.Access</c> category at Information): useful when something fails.</summary>
    public bool AccessLog { get; init; } = true;
}
