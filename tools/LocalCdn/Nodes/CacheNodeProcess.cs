using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cdn.Hosting.Tls;
using LocalCdn.Chain;

namespace LocalCdn.Nodes;

/// <summary>
/// A real cache daemon process (<c>edgenode</c> or <c>originshield</c>) on a loopback address: cleartext, HTTPS (a
/// certificate from a dev CA for <c>localhost</c>, its address and the CDN host name) and admin listeners, a
/// small cache under its directory, filling from the given parents and origins, optionally registered with a
/// control plane (node agent) and running the fill agent.
/// </summary>
public sealed class CacheNodeProcess : IAsyncDisposable
{
    /// <summary>Admin bearer token when the settings give none.</summary>
    public const string DefaultAdminToken = "local-cdn-admin-token-0123456789";

    private CacheNodeProcess(CacheNodeSettings settings, DaemonProcess process, CacheNodePorts ports, string? certificatePath, string configPath)
    {
        Settings = settings;
        Process = process;
        Ports = ports;
        Http = new Uri($"http://{settings.Address}:{ports.Http}/");
        Https = certificatePath is null ? null : new Uri($"https://{settings.Address}:{ports.Https}/");
        Admin = new Uri($"http://{settings.Address}:{ports.Admin}/");
        CertificatePath = certificatePath;
        ConfigPath = configPath;
        CertificateSpkiSha256 = certificatePath is null ? null : SpkiSha256(certificatePath);
    }

    /// <summary>What it was started with.</summary>
    public CacheNodeSettings Settings { get; }

    /// <summary>Its name.</summary>
    public string Name => Settings.Name;

    /// <summary>The process (log, kill, terminate).</summary>
    public DaemonProcess Process { get; }

    /// <summary>Its listeners' ports.</summary>
    public CacheNodePorts Ports { get; }

    /// <summary>Cleartext base URL (zero-copy path): what a child cache's <c>Parents</c> entry points at.</summary>
    public Uri Http { get; }

    /// <summary>HTTPS base URL (null when <see cref="CacheNodeSettings.Https"/> is off).</summary>
    public Uri? Https { get; }

    /// <summary>Admin base URL (<c>/readyz</c>, <c>/metrics</c> with the admin token).</summary>
    public Uri Admin { get; }

    /// <summary>PEM chain of the HTTPS listener (leaf first, then the dev CA), or null.</summary>
    public string? CertificatePath { get; }

    /// <summary>The config file written for it.</summary>
    public string ConfigPath { get; }

    /// <summary>
    /// Base64 SHA-256 of the leaf certificate's SubjectPublicKeyInfo: what Chromium's
    /// <c>--ignore-certificate-errors-spki-list</c> takes, so a browser trusts this node and nothing else. Null without HTTPS.
    /// </summary>
    public string? CertificateSpkiSha256 { get; }

    /// <summary>This node as a parent of a child cache (named as it names itself).</summary>
    public ParentServer AsParent() => new(Name, Http, new Uri(Admin, "readyz"));

    /// <summary>Writes the config, starts the daemon and waits until <c>/readyz</c> answers.</summary>
    public static async Task<CacheNodeProcess> StartAsync(CacheNodeSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.Directory);
        TlsOptions? tls = null;
        if (settings.Https)
        {
            var authority = DevCertificateAuthority.EnsureAuthority(settings.CertificateAuthorityDirectory ?? Path.Combine(settings.Directory, "ca"));
            tls = DevCertificateAuthority.IssueServerCertificate(authority, Path.Combine(settings.Directory, "tls"), settings.Name,
                [.. settings.CertificateNames, "localhost", settings.Address]);
        }

        var ports = settings.Ports;
        if (ports is null)
        {
            using var reservation = new PortReservation();
            ports = new CacheNodePorts(reservation.Tcp(settings.Address), settings.Https ? reservation.Tcp(settings.Address) : 0, reservation.Tcp(settings.Address));
        }

        var configPath = Path.Combine(settings.Directory, settings.Daemon.Assembly + ".json");
        await File.WriteAllTextAsync(configPath, CacheNodeConfiguration.Build(settings, ports, tls).ToJsonString(ChainJson.Indented), cancellationToken);

        var args = new List<string> { "--config", configPath };
        args.AddRange(settings.Overrides.Select(kv => $"--{settings.Daemon.Section}:{kv.Key}={kv.Value}"));
        var process = DaemonProcess.Start(settings.Name, settings.Daemon.Dll, args, Path.Combine(settings.Directory, settings.Daemon.Assembly + ".log"), settings.Directory);
        var started = new CacheNodeProcess(settings, process, ports, tls?.CertificatePath, configPath);
        try
        {
            await process.WaitReadyAsync(new Uri(started.Admin, "readyz"), TimeSpan.FromSeconds(90), cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return started;
    }

    /// <summary>An absolute HTTPS URL on this node for <paramref name="pathAndQuery"/> (<c>/movie/master.m3u8</c>).</summary>
    public Uri HttpsUrl(string pathAndQuery) => new(Https ?? throw NoHttps(), pathAndQuery.TrimStart('/'));

    /// <summary>An HttpClient that trusts exactly this node's certificate (for warm-up and checks).</summary>
    public HttpClient CreateHttpsClient()
    {
        var expected = CertificateSpkiSha256 ?? throw NoHttps();
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())) == expected,
        };
        return new HttpClient(handler) { BaseAddress = Https, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Its Prometheus metrics now (admin token).</summary>
    public async Task<Report.MetricsSnapshot> MetricsAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Admin, "metrics"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Settings.AdminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return Report.MetricsSnapshot.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private InvalidOperationException NoHttps() => new($"{Settings.Name} was started without HTTPS");

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Process.DisposeAsync();

    /// <summary>Base64 SHA-256 of the SubjectPublicKeyInfo of the first certificate in a PEM file.</summary>
    public static string SpkiSha256(string pemPath)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}
