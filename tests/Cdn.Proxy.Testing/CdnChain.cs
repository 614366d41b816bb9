using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

using Cdn.Testing;

namespace Cdn.Proxy.Testing;

/// <summary>
/// The edge → shield → origin chain as real processes: edgenode and originshield binaries on loopback ports,
/// each with its own cache directory, in front of origins the test runs in-process.
/// </summary>
public sealed partial class CdnChain : IAsyncDisposable
{
    public const string Token = "chain-test-admin-token-0123456789";

    private readonly TempDirectory _dir;
    private readonly List<Process> _processes = [];

    private CdnChain(TempDirectory dir) => _dir = dir;

    public List<Node> Shields { get; } = [];

    public List<Node> Edges { get; } = [];

    /// <summary>A daemon of the chain.</summary>
    public sealed record Node(string Name, int HttpPort, int AdminPort, Process Process)
    {
        public string Url => $"http://127.0.0.1:{HttpPort}";

        public HttpClient Client { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };

        public HttpClient Admin { get; } = AdminClient(AdminPort);

        private static HttpClient AdminClient(int port)
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            return client;
        }

        /// <summary>Sum of a metric's series (optionally only those whose labels contain <paramref name="labels"/>).</summary>
        public async Task<double> MetricAsync(string name, string? labels = null)
        {
            var text = await Admin.GetStringAsync("/metrics");
            double sum = 0;
            foreach (Match m in SeriesLine().Matches(text))
            {
                if (m.Groups["name"].Value == name && (labels is null || m.Groups["labels"].Value.Contains(labels, StringComparison.Ordinal)))
                {
                    sum += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
                }
            }

            return sum;
        }
    }

    /// <summary>
    /// Starts <paramref name="shields"/> shields over <paramref name="origins"/> and <paramref name="edges"/> edges
    /// whose parents are the shields and whose origins are the same origins. <paramref name="shieldUpstreams"/> and
    /// <paramref name="edgeUpstreams"/> add settings to the Upstreams sections; <paramref name="shieldPolicy"/> is the
    /// shields' Policy section.
    /// </summary>
    public static async Task<CdnChain> StartAsync(TempDirectory dir, IReadOnlyList<string> origins, int shields, int edges,
        Dictionary<string, object>? shieldUpstreams = null, Dictionary<string, object>? edgeUpstreams = null, Dictionary<string, object>? shieldPolicy = null,
        bool probeShields = false)
    {
        var chain = new CdnChain(dir);
        var originList = origins.Select(o => new Dictionary<string, object> { ["Url"] = o }).ToList();
        for (var i = 0; i < shields; i++)
        {
            var upstreams = new Dictionary<string, object>(shieldUpstreams ?? []) { ["Origins"] = originList };
            chain.Shields.Add(chain.Start("OriginShield", "originshield", "Shield", $"shield-{i}", upstreams, shieldPolicy));
        }

        // With probeShields, edges probe each shield's /readyz on its admin listener (active parent health).
        var parentList = chain.Shields.Select(s => probeShields
            ? new Dictionary<string, object> { ["Url"] = s.Url, ["HealthCheckUrl"] = $"http://127.0.0.1:{s.AdminPort}/readyz" }
            : new Dictionary<string, object> { ["Url"] = s.Url }).ToList();
        for (var i = 0; i < edges; i++)
        {
            var upstreams = new Dictionary<string, object>(edgeUpstreams ?? []) { ["Parents"] = parentList, ["Origins"] = originList };
            chain.Edges.Add(chain.Start("EdgeNode", "edgenode", "Edge", $"edge-{i}", upstreams, null));
        }

        foreach (var node in chain.Shields.Concat(chain.Edges))
        {
            await Daemons.EventuallyAsync(async () => (await node.Admin.GetAsync("/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(90),
                $"{node.Name} to be ready (log: {dir.Combine(node.Name + ".log")})");
        }

        return chain;
    }

    private Node Start(string project, string assembly, string section, string name, Dictionary<string, object> upstreams, Dictionary<string, object>? policy)
    {
        var http = FreePort.Tcp();
        var admin = FreePort.Tcp();
        var root = _dir.Combine(name);
        var node = new Dictionary<string, object>
        {
            ["NodeName"] = name,
            ["Listeners"] = new Dictionary<string, object>
            {
                ["Http"] = new Dictionary<string, object> { ["Address"] = "127.0.0.1", ["Port"] = http },
                ["Admin"] = new Dictionary<string, object> { ["Address"] = "127.0.0.1", ["Port"] = admin },
            },
            ["Admin"] = new Dictionary<string, object> { ["Tokens"] = new[] { Token } },
            ["Cache"] = new Dictionary<string, object>
            {
                ["Name"] = name,
                ["Volumes"] = new[] { new Dictionary<string, object> { ["Path"] = Path.Combine(root, "vol0"), ["CapacityBytes"] = 256L << 20 } },
                ["Index"] = new Dictionary<string, object>
                {
                    ["Directory"] = Path.Combine(root, "index"), ["MemoryBytes"] = 4L << 20, ["PageBytes"] = 256L << 10, ["HashTableBytes"] = 1L << 20,
                },
            },
            ["Upstreams"] = upstreams,
            ["DrainTimeout"] = "00:00:02",
        };
        if (policy is not null)
        {
            node["Policy"] = policy;
        }

        var config = _dir.Combine(name + ".json");
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [section] = node,
            ["Logging"] = new Dictionary<string, object> { ["LogLevel"] = new Dictionary<string, string> { ["Default"] = "Warning" } },
        }));
        var process = Daemons.Start(Daemons.Binary(project, assembly), config, _dir.Combine(name + ".log"));
        _processes.Add(process);
        return new Node(name, http, admin, process);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.e+-]+)$", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();
}
