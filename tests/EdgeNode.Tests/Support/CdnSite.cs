using System.Text.Json.Nodes;
using Cdn.Contracts.Catalog;
using Cdn.ControlPlane.Tests.Support;
using Cdn.Hosting;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Node;
using EdgeNode.Fill;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Tests.Support;

/// <summary>
/// One site on loopback, all in this process: the real control plane, an origin tree on disk, a shield in
/// front of it (file:// origin), and edges built exactly as the edgenode binary builds them
/// (<see cref="EdgeDaemon.Build"/>), each with its own test clock. Set EDGE_TEST_LOGS=1 to see their logs.
/// </summary>
internal sealed class CdnSite : IAsyncDisposable
{
    public const string Host = "video.cdn.test";
    public const string NodeToken = "node-admin-token-0123456789";

    private readonly List<EdgeHandle> _edges = [];

    private CdnSite(TempDirectory dir, ControlPlaneHost cp, WebApplication shield, int shieldPort)
    {
        Dir = dir;
        ControlPlane = cp;
        Shield = shield;
        ShieldUrl = new Uri($"http://127.0.0.1:{shieldPort}/");
    }

    public TempDirectory Dir { get; }

    public string OriginRoot => Dir.Combine("origin");

    public ControlPlaneHost ControlPlane { get; }

    public WebApplication Shield { get; }

    public Uri ShieldUrl { get; }

    /// <summary>Requests the shield answered (edge fills and misses).</summary>
    public long ShieldRequests => Shield.Services.GetRequiredService<HttpCache>().Metrics.RequestCount;

    public static async Task<CdnSite> StartAsync(Action<JsonObject>? configureControlPlane = null)
    {
        var dir = new TempDirectory("site");
        Directory.CreateDirectory(dir.Combine("origin"));
        var cp = await ControlPlaneHost.StartAsync(c =>
        {
            c["NodeAdmin"] = new JsonObject { ["Token"] = NodeToken, ["RequestTimeout"] = "00:00:02" };
            c["Purge"] = new JsonObject { ["RetryMin"] = "00:00:00.200", ["RetryMax"] = "00:00:01", ["PollInterval"] = "00:00:00.100", ["ShieldWait"] = "00:00:02" };
            configureControlPlane?.Invoke(c);
        });
        var shieldPort = FreePort.Tcp();
        var shield = await StartNodeAsync(dir, "shield", Config(dir, "shield-1", shieldPort, cp, new JsonObject
        {
            ["Origins"] = new JsonArray(new JsonObject { ["Url"] = "file://" + dir.Combine("origin") }),
        }), null, app => app.UseCacheNode(), b => b.AddCacheNode("Shield", "shield"));
        return new CdnSite(dir, cp, shield, shieldPort);
    }

    /// <summary>Writes <paramref name="count"/> titles into the origin tree and returns what the packager would publish.</summary>
    public List<TitlePublished> WriteTitles(int count, int segments = 6, int hdBytes = 96 * 1024, int sdBytes = 48 * 1024)
    {
        var titles = new List<TitlePublished>();
        var random = new Random(7);
        for (var t = 1; t <= count; t++)
        {
            var id = $"t{t}";
            var objects = new List<CatalogObject>();
            void Write(string path, byte[] body)
            {
                var full = Path.Combine(OriginRoot, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, body);
                objects.Add(new CatalogObject(path, body.Length));
            }

            Write($"{id}/master.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=3000000\n720p/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n"u8.ToArray());
            foreach (var (rendition, size) in new[] { ("720p", hdBytes), ("360p", sdBytes) })
            {
                Write($"{id}/{rendition}/index.m3u8", System.Text.Encoding.ASCII.GetBytes("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n" +
                    string.Concat(Enumerable.Range(0, segments).Select(s => $"#EXTINF:6.0,\nseg_{s:00000}.m4s\n")) + "#EXT-X-ENDLIST\n"));
                for (var s = 0; s < segments; s++)
                {
                    var body = new byte[size];
                    random.NextBytes(body);
                    Write($"{id}/{rendition}/seg_{s:00000}.m4s", body);
                }
            }

            titles.Add(new TitlePublished(id, $"{id}/master.m3u8", null, segments * 6,
                [new("720p", 1280, 720, 3_000_000, "avc1.64001f", "720p/index.m3u8"), new("360p", 640, 360, 800_000, "avc1.42e01e", "360p/index.m3u8")], objects));
        }

        return titles;
    }

    /// <summary>Starts an edge (or starts it again on the same directories: same cache, same fill state).</summary>
    public async Task<EdgeHandle> StartEdgeAsync(string name, ShiftedTimeProvider clock, JsonObject fill, int? httpPort = null, int? adminPort = null)
    {
        var http = httpPort ?? FreePort.Tcp();
        var admin = adminPort ?? FreePort.Tcp();
        var root = Dir.Combine(name);
        var config = Config(Dir, name, http, ControlPlane, new JsonObject { ["Parents"] = new JsonArray(new JsonObject { ["Url"] = ShieldUrl.ToString() }) }, admin);
        fill["StateDirectory"] = Path.Combine(root, "fill");
        config["Fill"] = fill;
        var app = await StartNodeAsync(Dir, name, config, clock, null, null);
        var edge = new EdgeHandle(name, app, http, admin, clock);
        _edges.Add(edge);
        return edge;
    }

    public async Task StopEdgeAsync(EdgeHandle edge)
    {
        ArgumentNullException.ThrowIfNull(edge);
        _edges.Remove(edge);
        await edge.DisposeAsync();
    }

    private static JsonObject Config(TempDirectory dir, string name, int httpPort, ControlPlaneHost cp, JsonObject upstreams, int? adminPort = null)
    {
        var admin = adminPort ?? FreePort.Tcp();
        var root = dir.Combine(name);
        var shield = name.StartsWith("shield", StringComparison.Ordinal);
        var section = shield ? "Shield" : "Edge";
        upstreams["ConnectTimeout"] = "00:00:01";
        upstreams["FirstByteTimeout"] = "00:00:05";
        var config = new JsonObject
        {
            [section] = new JsonObject
            {
                ["NodeName"] = name,
                ["Site"] = "ams",
                ["Listeners"] = new JsonObject
                {
                    ["Http"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = httpPort },
                    ["Admin"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = admin },
                },
                ["Admin"] = new JsonObject { ["Tokens"] = new JsonArray(NodeToken) },
                ["Cache"] = new JsonObject
                {
                    ["Name"] = name,
                    ["Volumes"] = new JsonArray(new JsonObject { ["Path"] = Path.Combine(root, "vol0"), ["CapacityBytes"] = 64L << 20 }),
                    ["Index"] = new JsonObject
                    {
                        ["Directory"] = Path.Combine(root, "index"),
                        ["MemoryBytes"] = 4L << 20,
                        ["PageBytes"] = 256L << 10,
                        ["HashTableBytes"] = 1L << 20,
                    },
                },
                ["Upstreams"] = upstreams,
                [nameof(CacheNodeOptions.ControlPlane)] = new JsonObject
                {
                    ["Url"] = cp.ApiBase.ToString(),
                    ["Token"] = ControlPlaneHost.Token,
                    ["Addresses"] = new JsonArray("127.0.0.1"),
                    ["HeartbeatInterval"] = "00:00:00.200",
                    ["RetryMin"] = "00:00:00.100",
                    ["RetryMax"] = "00:00:00.500",
                },
            },
        };
        if (shield)
        {
            // Edges advertise their admin URL themselves (EdgeDaemon); a bare cache node is told.
            config[section]![nameof(CacheNodeOptions.ControlPlane)]!["AdminUrl"] = $"http://127.0.0.1:{admin}/";
        }

        return config;
    }

    private static async Task<WebApplication> StartNodeAsync(TempDirectory dir, string name, JsonObject config, TimeProvider? clock,
        Action<WebApplication>? use, Action<WebApplicationBuilder>? add)
    {
        var path = dir.Combine($"{name}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var builder = DaemonHost.CreateBuilder(new DaemonDescriptor($"{name}-test", "EDGENODE_TEST_", "/nonexistent.json"), ["--config", path]);
        if (Environment.GetEnvironmentVariable("EDGE_TEST_LOGS") != "1")
        {
            builder.Logging.ClearProviders();
        }

        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        WebApplication app;
        if (add is null)
        {
            app = EdgeDaemon.Build(builder);
        }
        else
        {
            add(builder);
            app = builder.Build();
            use!(app);
        }

        await app.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var edge in _edges.ToList())
        {
            await edge.DisposeAsync();
        }

        await Shield.StopAsync();
        await Shield.DisposeAsync();
        await ControlPlane.DisposeAsync();
        Dir.Dispose();
    }
}

/// <summary>A running edge of a <see cref="CdnSite"/>.</summary>
internal sealed class EdgeHandle(string name, WebApplication app, int httpPort, int adminPort, ShiftedTimeProvider clock) : IAsyncDisposable
{
    public string Name { get; } = name;

    public WebApplication App { get; } = app;

    public int HttpPort { get; } = httpPort;

    public int AdminPort { get; } = adminPort;

    public ShiftedTimeProvider Clock { get; } = clock;

    public HttpCache Cache => App.Services.GetRequiredService<HttpCache>();

    public FillAgent Agent => App.Services.GetRequiredService<FillAgent>();

    /// <summary>A player's GET through the edge's cleartext listener.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{HttpPort}{path}"));
        request.Headers.Host = CdnSite.Host;
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The stored entry for <paramref name="path"/> under the CDN host, or null.</summary>
    public Cdn.Caching.Index.CacheEntry? Stored(string path)
        => Cache.Engine.Peek(Cache.Engine.KeyHasher.Create(CdnSite.Host + path));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }

        await App.DisposeAsync();
    }
}
