using System.Globalization;
using System.Text.Json.Nodes;
using LocalCdn.Nodes;

namespace LocalCdn.Chain;

/// <summary>
/// The configuration of every process of the local CDN, as pure functions of the topology, the run's secrets
/// and the time (the fill window is opened around "now"). Short health and heartbeat intervals: a local chain
/// should turn up in seconds, not the half-minute hysteresis production wants.
/// </summary>
public static class ChainConfiguration
{
    /// <summary>The control plane: API and GeoDNS on loopback, embedded store, one site per coverage zone, fill plans by hand.</summary>
    public static JsonObject ControlPlane(Topology topology, ChainSecrets secrets, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(secrets);
        var (start, end) = FillWindowAround(now);
        var sites = new JsonArray();
        foreach (var site in topology.Sites)
        {
            sites.Add(new JsonObject
            {
                ["Name"] = site.Name,
                ["Location"] = site.Location,
                ["Fallbacks"] = new JsonArray([.. topology.Sites.Where(s => s != site).Select(s => (JsonNode)s.Name)]),
                ["FillWindow"] = new JsonObject { ["Start"] = start, ["End"] = end, ["TimeZone"] = "UTC" },
            });
        }

        return new JsonObject
        {
            ["Api"] = new JsonObject { ["Listen"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = topology.ApiPort } },
            ["Auth"] = new JsonObject { ["TokenFile"] = secrets.ControlPlaneTokenFile },
            ["Database"] = new JsonObject { ["Provider"] = "Embedded", ["EmbeddedPath"] = Path.Combine(topology.ControlPlaneDirectory, "state.db") },
            ["Health"] = new JsonObject
            {
                ["HeartbeatInterval"] = "00:00:01",
                ["MissedHeartbeats"] = 3,
                ["UpAfter"] = "00:00:00",
                ["EvaluateInterval"] = "00:00:00.250",
                ["RefreshInterval"] = "00:00:00.500",
            },
            ["Registry"] = new JsonObject { ["DefaultSite"] = topology.Sites[0].Name, ["Sites"] = sites },
            ["CoverageZones"] = new JsonObject { ["File"] = CoverageZoneFilePath(topology) },
            // One edge per site here: one replica of each unit. The title is new, so its release boost places it.
            ["Fill"] = new JsonObject { ["Replicas"] = 1, ["AutoPlan"] = false },
            ["NodeAdmin"] = new JsonObject { ["TokenFile"] = secrets.NodeAdminTokenFile },
            ["Dns"] = new JsonObject
            {
                ["Listen"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = topology.DnsPort },
                ["Zones"] = new JsonArray(new JsonObject
                {
                    ["Name"] = topology.Zone,
                    ["Hosts"] = new JsonArray(topology.HostLabel),
                    ["NameServers"] = new JsonArray(new JsonObject { ["Name"] = "ns1", ["Addresses"] = new JsonArray("127.0.0.1") }),
                }),
                ["MaxAnswers"] = 4,
                ["UdpThreads"] = 1,
            },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft.AspNetCore"] = "Warning" } },
        };
    }

    /// <summary>The coverage zone file (Traffic Control CZF): each site's client network.</summary>
    public static JsonObject CoverageZones(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var zones = new JsonObject();
        foreach (var site in topology.Sites)
        {
            zones[site.Name] = new JsonObject { ["network"] = new JsonArray(site.ClientNetwork) };
        }

        return new JsonObject { ["revision"] = "local-cdn", ["customerName"] = "local", ["coverageZones"] = zones };
    }

    /// <summary>Where <see cref="CoverageZones"/> is written.</summary>
    public static string CoverageZoneFilePath(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return Path.Combine(topology.ControlPlaneDirectory, "czf.json");
    }

    /// <summary>The packager daemon: publishes to the origin tree, tells the control plane.</summary>
    public static JsonObject Packager(Topology topology, ChainSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(secrets);
        return new JsonObject
        {
            ["Packager"] = new JsonObject
            {
                ["OriginRoot"] = topology.OriginRoot,
                ["Listen"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = topology.PackagerPort },
                ["PollInterval"] = "00:00:00.500",
            },
            ["Database"] = new JsonObject { ["Provider"] = "Embedded", ["EmbeddedPath"] = Path.Combine(topology.PackagerDirectory, "state.db") },
            ["Admin"] = new JsonObject { ["TokenFile"] = secrets.PackagerTokenFile },
            ["ControlPlane"] = new JsonObject { ["Url"] = topology.ApiUrl.AbsoluteUri, ["TokenFile"] = secrets.ControlPlaneTokenFile },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft.AspNetCore"] = "Warning" } },
        };
    }

    /// <summary>A shield: the origin tree as a <c>file://</c> origin, registered with the control plane.</summary>
    public static CacheNodeSettings Shield(Topology topology, NodeTopology shield, ChainSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(shield);
        ArgumentNullException.ThrowIfNull(secrets);
        return new CacheNodeSettings
        {
            Daemon = CacheNodeDaemon.Shield,
            Name = shield.Name,
            Directory = topology.NodeDirectory(shield.Name),
            Site = shield.Site,
            Address = shield.Address,
            Ports = shield.Ports,
            Https = false,
            AdminToken = secrets.NodeAdminToken,
            Origins = [new Uri(topology.OriginRoot + "/").AbsoluteUri],
            ControlPlane = NodeAgent(topology, shield, secrets, adminUrl: $"http://{shield.Address}:{shield.Ports.Admin}/"),
            CacheCapacityBytes = 2L << 30,
            AccessLog = true,
        };
    }

    /// <summary>
    /// An edge: every shield as a parent (probed on its <c>/readyz</c>), HTTPS for players with the CDN host in
    /// its certificate, registered with the control plane under its own address, and the fill agent on.
    /// </summary>
    public static CacheNodeSettings Edge(Topology topology, NodeTopology edge, ChainSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentNullException.ThrowIfNull(secrets);
        var directory = topology.NodeDirectory(edge.Name);
        return new CacheNodeSettings
        {
            Daemon = CacheNodeDaemon.Edge,
            Name = edge.Name,
            Directory = directory,
            Site = edge.Site,
            Address = edge.Address,
            Ports = edge.Ports,
            Https = true,
            CertificateNames = [topology.CdnHost],
            CertificateAuthorityDirectory = topology.CertificateAuthorityDirectory,
            AdminToken = secrets.NodeAdminToken,
            Parents = [.. topology.Shields.Select(s => new ParentServer(s.Name, new Uri($"http://{s.Address}:{s.Ports.Http}/"), new Uri($"http://{s.Address}:{s.Ports.Admin}/readyz")))],
            Overrides = new Dictionary<string, string>
            {
                // A dead shield is found by its probe within a second, and a request caught on it gives up soon.
                ["Upstreams:HealthCheck:Interval"] = "00:00:01",
                ["Upstreams:HealthCheck:Timeout"] = "00:00:01",
                ["Upstreams:ConnectTimeout"] = "00:00:01",
                ["Upstreams:FirstByteTimeout"] = "00:00:05",
                ["Upstreams:IdleTimeout"] = "00:00:03",
            },
            ControlPlane = NodeAgent(topology, edge, secrets, adminUrl: null),
            Fill = new JsonObject
            {
                ["Host"] = topology.CdnHost,
                ["StateDirectory"] = Path.Combine(directory, "fill"),
                ["RateCapBytesPerSecond"] = 100_000_000,
                ["Concurrency"] = 4,
                ["CheckInterval"] = "00:00:00.500",
                ["ReportInterval"] = "00:00:01",
                ["RetryDelay"] = "00:00:02",
            },
            CacheCapacityBytes = 2L << 30,
            AccessLog = true,
        };
    }

    /// <summary>
    /// A fill window that is open at <paramref name="now"/> (UTC): from an hour before until a minute before
    /// that, next day (the window wraps past midnight), so it stays open for the whole run.
    /// </summary>
    public static (string Start, string End) FillWindowAround(DateTimeOffset now)
    {
        var start = TimeOnly.FromTimeSpan(now.UtcDateTime.TimeOfDay).AddHours(-1);
        start = new TimeOnly(start.Hour, start.Minute);
        var end = start.AddMinutes(-1);
        return (start.ToString("HH:mm", CultureInfo.InvariantCulture), end.ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    private static JsonObject NodeAgent(Topology topology, NodeTopology node, ChainSecrets secrets, string? adminUrl)
    {
        var agent = new JsonObject
        {
            ["Url"] = topology.ApiUrl.AbsoluteUri,
            ["TokenFile"] = secrets.ControlPlaneTokenFile,
            ["Addresses"] = new JsonArray(node.Address),
            ["HeartbeatInterval"] = "00:00:01",
            ["RetryMin"] = "00:00:00.200",
            ["RetryMax"] = "00:00:02",
        };
        if (adminUrl is not null)
        {
            agent["AdminUrl"] = adminUrl;
        }

        return agent;
    }
}
