using LocalCdn.Nodes;

namespace LocalCdn.Chain;

/// <summary>
/// Where everything of the local CDN lives: the state directory's layout, the CDN host name, the sites with
/// their coverage zones, and every process's address and ports (chosen free when the topology is made).
/// </summary>
/// <param name="StateDirectory">Root of everything the chain writes (absolute).</param>
/// <param name="Zone">The GeoDNS zone (<c>cdn.test</c>).</param>
/// <param name="HostLabel">The players' host in it (<c>video</c>).</param>
/// <param name="ApiPort">Control-plane API on 127.0.0.1.</param>
/// <param name="DnsPort">GeoDNS on 127.0.0.1, UDP and TCP.</param>
/// <param name="PackagerPort">Packager API on 127.0.0.1.</param>
/// <param name="Sites">The sites, one edge each.</param>
/// <param name="Shields">The origin shields (every edge lists all of them as parents).</param>
/// <param name="Edges">The edges, in site order.</param>
/// <param name="TitleId">The title the main job packages and plays.</param>
public sealed record Topology(
    string StateDirectory,
    string Zone,
    string HostLabel,
    int ApiPort,
    int DnsPort,
    int PackagerPort,
    IReadOnlyList<SiteTopology> Sites,
    IReadOnlyList<NodeTopology> Shields,
    IReadOnlyList<NodeTopology> Edges,
    string TitleId)
{
    /// <summary>The sites of the main job: Amsterdam and Frankfurt, each with a /16 of client addresses.</summary>
    public static IReadOnlyList<SiteTopology> DefaultSites { get; } =
    [
        new("ams", "Amsterdam", "10.1.0.0/16", "10.1.0.0/24"),
        new("fra", "Frankfurt", "10.2.0.0/16", "10.2.0.0/24"),
    ];

    /// <summary>The CDN host players ask for (<c>video.cdn.test</c>): GeoDNS answers it, edges key their caches by it.</summary>
    public string CdnHost => $"{HostLabel}.{Zone}";

    /// <summary>Control-plane API base URL.</summary>
    public Uri ApiUrl => new($"http://127.0.0.1:{ApiPort}/");

    /// <summary>Packager API base URL.</summary>
    public Uri PackagerUrl => new($"http://127.0.0.1:{PackagerPort}/");

    /// <summary>The origin tree the packager publishes to and the shields serve.</summary>
    public string OriginRoot => Path.Combine(StateDirectory, "origin");

    /// <summary>Cached generated sources (kept across runs).</summary>
    public string SourceDirectory => Path.Combine(StateDirectory, "source");

    /// <summary>Token files.</summary>
    public string SecretsDirectory => Path.Combine(StateDirectory, "secrets");

    /// <summary>The dev CA issuing the edges' certificates.</summary>
    public string CertificateAuthorityDirectory => Path.Combine(StateDirectory, "ca");

    /// <summary>The control plane's config, store and log.</summary>
    public string ControlPlaneDirectory => Path.Combine(StateDirectory, "controlplane");

    /// <summary>The packager's config, store and log.</summary>
    public string PackagerDirectory => Path.Combine(StateDirectory, "packager");

    /// <summary>Logs of tools the chain runs (edgectl, dig, ffmpeg).</summary>
    public string ToolLogDirectory => Path.Combine(StateDirectory, "logs");

    /// <summary>A cache node's directory (config, certificate, cache, fill state, log).</summary>
    public string NodeDirectory(string name) => Path.Combine(StateDirectory, "nodes", name);

    /// <summary>The edge of <paramref name="site"/>.</summary>
    public NodeTopology EdgeOf(string site) => Edges.FirstOrDefault(e => e.Site == site)
        ?? throw new ArgumentException($"no edge in site '{site}' (sites: {string.Join(", ", Sites.Select(s => s.Name))})", nameof(site));

    /// <summary>The site named <paramref name="name"/>.</summary>
    public SiteTopology Site(string name) => Sites.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"no site '{name}' (sites: {string.Join(", ", Sites.Select(s => s.Name))})", nameof(name));

    /// <summary>
    /// The main job's topology under <paramref name="stateDirectory"/>: two shields (127.0.0.21, .22) in front of
    /// the origin tree, one edge per site (127.0.0.11, .12, …), control plane, GeoDNS and packager on 127.0.0.1,
    /// every port free now.
    /// </summary>
    public static Topology Create(string stateDirectory, string titleId = "movie", IReadOnlyList<SiteTopology>? sites = null, int shields = 2)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        sites ??= DefaultSites;
        if (sites.Count is 0 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(sites), sites.Count, "one to nine sites");
        }

        if (shields is < 1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(shields), shields, "one to nine shields");
        }

        using var ports = new PortReservation();
        var shieldNodes = Enumerable.Range(1, shields).Select(i =>
        {
            var address = $"127.0.0.{20 + i}";
            return new NodeTopology($"shield-{i}", sites[(i - 1) % sites.Count].Name, address, new CacheNodePorts(ports.Tcp(address), 0, ports.Tcp(address)));
        }).ToList();
        var edges = sites.Select((s, i) =>
        {
            var address = $"127.0.0.{11 + i}";
            return new NodeTopology($"edge-{s.Name}-1", s.Name, address, new CacheNodePorts(ports.Tcp(address), ports.Tcp(address), ports.Tcp(address)));
        }).ToList();
        return new Topology(Path.GetFullPath(stateDirectory), "cdn.test", "video", ports.Tcp(), ports.TcpAndUdp(), ports.Tcp(), sites, shieldNodes, edges, titleId);
    }
}
