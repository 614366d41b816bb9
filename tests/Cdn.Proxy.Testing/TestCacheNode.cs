using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Cdn.Hosting;
using Cdn.Hosting.Tls;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Node;
using Cdn.Proxy.Upstream;
using Cdn.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Testing;

/// <summary>
/// A real cache node (the same wiring as the edgenode and originshield binaries) on loopback ports, in front
/// of test origins or parents. <see cref="TestEdge"/> and <see cref="TestShield"/> name the two roles.
/// </summary>
public abstract class TestCacheNode : IAsyncDisposable
{
    public const string AdminToken = "edge-test-admin-token-0123456789";

    private readonly WebApplication _app;

    protected TestCacheNode(WebApplication app, int httpPort, int adminPort, int? httpsPort, string? caPath)
    {
        _app = app;
        HttpPort = httpPort;
        AdminPort = adminPort;
        HttpsPort = httpsPort;
        CaPath = caPath;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public int HttpPort { get; }

    public int AdminPort { get; }

    public int? HttpsPort { get; }

    public string? CaPath { get; }

    /// <summary>Base URL of the cleartext listener (what a child cache lists as its parent).</summary>
    public string Url => $"http://127.0.0.1:{HttpPort}";

    /// <summary>Client of the cleartext (zero-copy) listener.</summary>
    public HttpClient Http { get; }

    /// <summary>Client of the admin listener, with the token.</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public HttpCache Cache => _app.Services.GetRequiredService<HttpCache>();

    public ProxyMetrics Metrics => _app.Services.GetRequiredService<ProxyMetrics>();

    public UpstreamPool Upstreams => _app.Services.GetRequiredService<UpstreamPool>();

    /// <summary>
    /// Starts a node with its settings under <paramref name="section"/>, metrics labelled <paramref name="service"/>.
    /// <paramref name="configFile"/>, when given, is a JSON file read after the other settings (as the daemon reads
    /// its conffile), so a test can edit it and <see cref="ReloadConfiguration"/>.
    /// </summary>
    protected static async Task<(WebApplication App, int HttpPort, int AdminPort, int? HttpsPort, string? CaPath)> StartNodeAsync(
        string section, string service, string root, IEnumerable<string> upstreamUrls, Dictionary<string, string?>? settings,
        TimeProvider? time, bool https, bool parents, string? configFile = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartNodeOnceAsync(section, service, root, upstreamUrls, settings, time, https, parents, configFile);
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 3)
            {
                // A port FreePort found free was taken before the bind (another test's connection got it): new ports.
            }
        }
    }

    private static async Task<(WebApplication App, int HttpPort, int AdminPort, int? HttpsPort, string? CaPath)> StartNodeOnceAsync(
        string section, string service, string root, IEnumerable<string> upstreamUrls, Dictionary<string, string?>? settings,
        TimeProvider? time, bool https, bool parents, string? configFile)
    {
        var httpPort = FreePort.Tcp();
        var adminPort = FreePort.Tcp();
        int? httpsPort = https ? FreePort.Tcp() : null;
        var config = new Dictionary<string, string?>
        {
            [$"{section}:NodeName"] = $"{service}-test",
            [$"{section}:Listeners:Http:Address"] = "127.0.0.1",
            [$"{section}:Listeners:Http:Port"] = httpPort.ToString(),
            [$"{section}:Listeners:Admin:Port"] = adminPort.ToString(),
            [$"{section}:Admin:Tokens:0"] = AdminToken,
            [$"{section}:Cache:Name"] = $"{service}-test",
            [$"{section}:Cache:Volumes:0:Path"] = Path.Combine(root, "vol0"),
            [$"{section}:Cache:Volumes:0:CapacityBytes"] = (256L << 20).ToString(),
            [$"{section}:Cache:Index:Directory"] = Path.Combine(root, "index"),
            [$"{section}:Cache:Index:MemoryBytes"] = (4L << 20).ToString(),
            [$"{section}:Cache:Index:PageBytes"] = (256L << 10).ToString(),
            [$"{section}:Cache:Index:HashTableBytes"] = (1L << 20).ToString(),
            [$"{section}:Upstreams:ConnectTimeout"] = "00:00:01",
            [$"{section}:Upstreams:FirstByteTimeout"] = "00:00:05",
            [$"{section}:Upstreams:IdleTimeout"] = "00:00:05",
        };
        var i = 0;
        foreach (var url in upstreamUrls)
        {
            config[parents ? $"{section}:Upstreams:Parents:{i}:Url" : $"{section}:Upstreams:Origins:{i}:Url"] = url;
            i++;
        }

        string? caPath = null;
        if (https)
        {
            var ca = DevCertificateAuthority.EnsureAuthority(Path.Combine(root, "tls"));
            var tls = DevCertificateAuthority.IssueServerCertificate(ca, Path.Combine(root, "tls"), service, ["localhost", "127.0.0.1"]);
            config[$"{section}:Listeners:Https:Address"] = "127.0.0.1";
            config[$"{section}:Listeners:Https:Port"] = httpsPort.ToString();
            config[$"{section}:Listeners:Https:Tls:CertificatePath"] = tls.CertificatePath;
            config[$"{section}:Listeners:Https:Tls:KeyPath"] = tls.KeyPath;
            caPath = ca.CertificatePath;
        }

        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }

        var builder = DaemonHost.CreateBuilder(new DaemonDescriptor($"{service}-test", "CDN_NODE_TEST_", "/nonexistent/node.json"), []);
        builder.Configuration.AddInMemoryCollection(config);
        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(configFile, optional: false, reloadOnChange: false);
        }

        if (Environment.GetEnvironmentVariable("EDGE_TEST_LOGS") != "1")
        {
            builder.Logging.ClearProviders(); // EDGE_TEST_LOGS=1 shows the node's log while debugging a test
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddCacheNode(section, service);
        var app = builder.Build();
        app.UseCacheNode();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync(); // closes the cache, so a retry can open the same directories
            throw;
        }

        return (app, httpPort, adminPort, httpsPort, caPath);
    }

    /// <summary>Certificate validation that trusts exactly the node's dev CA.</summary>
    public bool TrustsDevCa(X509Certificate? certificate, X509Chain? chain) => DevCaTrust.Validates(CaPath!, certificate, chain);

    /// <summary>An HTTPS client trusting the node's dev CA, speaking <paramref name="version"/>.</summary>
    public HttpClient HttpsClient(Version version)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, _) => TrustsDevCa(certificate, chain) },
        };
        return new HttpClient(handler)
        {
            BaseAddress = new Uri($"https://localhost:{HttpsPort}"),
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public async Task StopAsync() => await _app.StopAsync();

    /// <summary>Re-reads the configuration sources, as the daemon does on SIGHUP.</summary>
    public void ReloadConfiguration() => ((IConfigurationRoot)_app.Configuration).Reload();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Admin.Dispose();
        try
        {
            await _app.StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }

        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
