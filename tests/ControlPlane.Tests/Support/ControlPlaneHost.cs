using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Dns;
using Cdn.Hosting;
using Cdn.NodeAgent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cdn.ControlPlane.Tests.Support;

/// <summary>
/// The real control plane (the daemon's own Build) on loopback with a config file in a temp directory:
/// API on a free port, DNS on a free UDP+TCP port, embedded store unless the test gives PostgreSQL.
/// </summary>
internal sealed class ControlPlaneHost : IAsyncDisposable
{
    public const string Token = "functional-test-token-0123456789";

    public const string DefaultCzf = """
        { "revision": "r1", "customerName": "test", "coverageZones": {
            "ams": { "network": ["10.1.0.0/16"], "network6": ["2001:db8:1::/48"] },
            "fra": { "network": ["10.2.0.0/16", "127.0.0.0/8"] },
            "big": { "network": ["10.3.0.0/16", "127.0.0.3/32"] } } }
        """;

    private readonly WebApplication _app;
    private readonly TempDirectory? _ownedDir;

    private ControlPlaneHost(WebApplication app, TempDirectory dir, TempDirectory? ownedDir)
    {
        _app = app;
        Directory = dir;
        _ownedDir = ownedDir;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        ApiBase = new Uri(address);
        Http = new HttpClient { BaseAddress = ApiBase };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Client = new ControlPlaneClient(new HttpClient { BaseAddress = ApiBase }, () => Token);
        DnsPort = app.Services.GetRequiredService<DnsServerService>().EndPoint?.Port ?? 0;
    }

    public TempDirectory Directory { get; }

    public Uri ApiBase { get; }

    public HttpClient Http { get; }

    public ControlPlaneClient Client { get; }

    public int DnsPort { get; }

    public IServiceProvider Services => _app.Services;

    public string CzfPath => Directory.Combine("czf.json");

    /// <summary>The default configuration; tests adjust it before start.</summary>
    public static JsonObject DefaultConfig(TempDirectory dir) => new()
    {
        ["Api"] = new JsonObject { ["Listen"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = 0 } },
        ["Auth"] = new JsonObject { ["Tokens"] = new JsonArray(Token) },
        ["Database"] = new JsonObject { ["Provider"] = "Embedded", ["EmbeddedPath"] = dir.Combine("state.db") },
        ["Health"] = new JsonObject
        {
            ["HeartbeatInterval"] = "00:00:01",
            ["MissedHeartbeats"] = 2,
            ["UpAfter"] = "00:00:00",
            ["EvaluateInterval"] = "00:00:00.100",
            ["RefreshInterval"] = "00:00:00.250",
        },
        ["Registry"] = new JsonObject
        {
            ["Sites"] = new JsonArray(
                new JsonObject { ["Name"] = "ams", ["Location"] = "Amsterdam", ["Fallbacks"] = new JsonArray("fra") },
                new JsonObject { ["Name"] = "fra", ["Location"] = "Frankfurt" },
                new JsonObject { ["Name"] = "big", ["Location"] = "Many edges" }),
        },
        ["CoverageZones"] = new JsonObject { ["File"] = dir.Combine("czf.json") },
        ["Dns"] = new JsonObject
        {
            ["Listen"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = 0 },
            ["Zones"] = new JsonArray(new JsonObject
            {
                ["Name"] = "cdn.test",
                ["Hosts"] = new JsonArray("video", "live"),
                ["NameServers"] = new JsonArray(new JsonObject { ["Name"] = "ns1", ["Addresses"] = new JsonArray("127.0.0.1") }),
            }),
            ["MaxAnswers"] = 32,
            ["UdpThreads"] = 2,
            ["TcpIdleTimeout"] = "00:00:00.500",
            ["LastResort"] = new JsonArray("192.0.2.99"),
        },
        ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
    };

    public static async Task<ControlPlaneHost> StartAsync(Action<JsonObject>? configure = null, string czf = DefaultCzf, TempDirectory? dir = null)
    {
        var owned = dir is null ? new TempDirectory("cp") : null;
        dir ??= owned!;
        var config = DefaultConfig(dir);
        configure?.Invoke(config);
        var path = dir.Combine($"controlplane-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        if (!File.Exists(dir.Combine("czf.json")))
        {
            await File.WriteAllTextAsync(dir.Combine("czf.json"), czf);
        }

        var app = ControlPlaneDaemon.Build(DaemonHost.CreateBuilder(ControlPlaneDaemon.Descriptor, ["--config", path]));
        await app.StartAsync();
        return new ControlPlaneHost(app, dir, owned);
    }

    public Task<NodeRegistrationAccepted> RegisterAsync(string id, string site, NodeRole role = NodeRole.Edge, params string[] addresses)
        => Client.RegisterAsync(new NodeRegistration(id, role, site, addresses, 10, null, "test"));

    public Task<HeartbeatAccepted> HeartbeatAsync(string id, bool healthy = true, bool draining = false)
        => Client.HeartbeatAsync(Heartbeat(id, healthy, draining));

    public static NodeHeartbeat Heartbeat(string id, bool healthy = true, bool draining = false)
        => new(id, DateTimeOffset.UtcNow, new NodeHealthReport(healthy, 1, 1, 1 << 30, 0, healthy ? [] : ["volume /cache0 failed"]),
            new NodeLoadReport(1, 10, 100), new CacheStatsReport(10, 100, 1000, 50, 40, 5000, 1000), null, draining);

    public async Task<string> MetricsAsync() => await Http.GetStringAsync("/metrics");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ownedDir?.Dispose();
    }
}
