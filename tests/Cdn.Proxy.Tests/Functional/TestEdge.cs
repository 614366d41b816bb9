using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Cdn.Hosting;
using Cdn.Hosting.Tls;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Tests.Functional;

/// <summary>A real edge (the same wiring as the edgenode binary) on loopback ports, in front of test origins.</summary>
public sealed class TestEdge : IAsyncDisposable
{
    public const string AdminToken = "edge-test-admin-token-0123456789";

    private readonly WebApplication _app;

    private TestEdge(WebApplication app, int httpPort, int adminPort, int? httpsPort, string? caPath)
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

    /// <summary>Client of the cleartext (zero-copy) listener.</summary>
    public HttpClient Http { get; }

    /// <summary>Client of the admin listener, with the token.</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public HttpCache Cache => _app.Services.GetRequiredService<HttpCache>();

    /// <summary>
    /// Starts an edge with its cache under <paramref name="root"/>. <paramref name="configFile"/>, when given, is a
    /// JSON file read after the other settings (as the daemon reads its conffile), so a test can edit it and
    /// <see cref="ReloadConfiguration"/>.
    /// </summary>
    public static async Task<TestEdge> StartAsync(string root, IEnumerable<string> upstreamUrls, Dictionary<string, string?>? settings = null,
        TimeProvider? time = null, bool https = false, bool parents = false, string? configFile = null)
    {
        var httpPort = FreePort.Tcp();
        var adminPort = FreePort.Tcp();
        int? httpsPort = https ? FreePort.Tcp() : null;
        var config = new Dictionary<string, string?>
        {
            ["Edge:NodeName"] = "edge-test",
            ["Edge:Listeners:Http:Address"] = "127.0.0.1",
            ["Edge:Listeners:Http:Port"] = httpPort.ToString(),
            ["Edge:Listeners:Admin:Port"] = adminPort.ToString(),
            ["Edge:Admin:Tokens:0"] = AdminToken,
            ["Edge:Cache:Name"] = "edge-test",
            ["Edge:Cache:Volumes:0:Path"] = Path.Combine(root, "vol0"),
            ["Edge:Cache:Volumes:0:CapacityBytes"] = (256L << 20).ToString(),
            ["Edge:Cache:Index:Directory"] = Path.Combine(root, "index"),
            ["Edge:Cache:Index:MemoryBytes"] = (4L << 20).ToString(),
            ["Edge:Cache:Index:PageBytes"] = (256L << 10).ToString(),
            ["Edge:Cache:Index:HashTableBytes"] = (1L << 20).ToString(),
            ["Edge:Upstreams:ConnectTimeout"] = "00:00:01",
            ["Edge:Upstreams:FirstByteTimeout"] = "00:00:05",
            ["Edge:Upstreams:IdleTimeout"] = "00:00:05",
        };
        var i = 0;
        foreach (var url in upstreamUrls)
        {
            config[parents ? $"Edge:Upstreams:Parents:{i}:Url" : $"Edge:Upstreams:Origins:{i}:Url"] = url;
            i++;
        }

        string? caPath = null;
        if (https)
        {
            var ca = DevCertificateAuthority.EnsureAuthority(Path.Combine(root, "tls"));
            var tls = DevCertificateAuthority.IssueServerCertificate(ca, Path.Combine(root, "tls"), "edge", ["localhost", "127.0.0.1"]);
            config["Edge:Listeners:Https:Address"] = "127.0.0.1";
            config["Edge:Listeners:Https:Port"] = httpsPort.ToString();
            config["Edge:Listeners:Https:Tls:CertificatePath"] = tls.CertificatePath;
            config["Edge:Listeners:Https:Tls:KeyPath"] = tls.KeyPath;
            caPath = ca.CertificatePath;
        }

        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }

        var builder = DaemonHost.CreateBuilder(new DaemonDescriptor("edgenode-test", "EDGENODE_TEST_", "/nonexistent/edgenode.json"), []);
        builder.Configuration.AddInMemoryCollection(config);
        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(configFile, optional: false, reloadOnChange: false);
        }

        if (Environment.GetEnvironmentVariable("EDGE_TEST_LOGS") != "1")
        {
            builder.Logging.ClearProviders(); // EDGE_TEST_LOGS=1 shows the edge's log while debugging a test
        }
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddCacheNode("Edge", "edge");
        var app = builder.Build();
        app.UseCacheNode();
        await app.StartAsync();
        return new TestEdge(app, httpPort, adminPort, httpsPort, caPath);
    }

    /// <summary>Certificate validation that trusts exactly the edge's dev CA.</summary>
    public bool TrustsDevCa(X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is null || chain is null)
        {
            return false;
        }

        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(CaPath!));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    /// <summary>An HTTPS client trusting the edge's dev CA, speaking <paramref name="version"/>.</summary>
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
    }
}
