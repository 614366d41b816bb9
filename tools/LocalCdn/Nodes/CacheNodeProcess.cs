using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cdn.Hosting.Tls;

namespace Cdn.SystemTests.Nodes;

/// <summary>
/// A real cache daemon process (<c>edgenode</c>, or <c>originshield</c>) on loopback: cleartext, HTTPS (a
/// certificate from a fresh dev CA for <c>localhost</c> and <c>127.0.0.1</c>) and admin listeners on free
/// ports, a small cache under the given directory, filling from the given parents and origins.
/// </summary>
public sealed class CacheNodeProcess : IAsyncDisposable
{
    /// <summary>Admin bearer token of every test node.</summary>
    public const string AdminToken = "system-test-admin-token-0123456789";

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private CacheNodeProcess(CacheNodeSettings settings, DaemonProcess process, int httpPort, int httpsPort, int adminPort, string? certificatePath, string configPath)
    {
        Settings = settings;
        Process = process;
        Http = new Uri($"http://127.0.0.1:{httpPort}/");
        Https = certificatePath is null ? null : new Uri($"https://127.0.0.1:{httpsPort}/");
        Admin = new Uri($"http://127.0.0.1:{adminPort}/");
        CertificatePath = certificatePath;
        ConfigPath = configPath;
        CertificateSpkiSha256 = certificatePath is null ? null : SpkiSha256(certificatePath);
    }

    /// <summary>What it was started with.</summary>
    public CacheNodeSettings Settings { get; }

    /// <summary>The process (log, kill, terminate).</summary>
    public DaemonProcess Process { get; }

    /// <summary>Cleartext base URL (zero-copy path): what a child cache's <c>Parents</c> entry points at.</summary>
    public Uri Http { get; }

    /// <summary>HTTPS base URL (null when <see cref="CacheNodeSettings.Https"/> is off).</summary>
    public Uri? Https { get; }

    /// <summary>Admin base URL (<c>/readyz</c>, <c>/metrics</c> with <see cref="AdminToken"/>).</summary>
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

    /// <summary>Writes the config, starts the daemon and waits until <c>/readyz</c> answers.</summary>
    public static async Task<CacheNodeProcess> StartAsync(CacheNodeSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.Directory);
        TlsOptions? tls = null;
        if (settings.Https)
        {
            var authority = DevCertificateAuthority.EnsureAuthority(Path.Combine(settings.Directory, "ca"));
            tls = DevCertificateAuthority.IssueServerCertificate(authority, Path.Combine(settings.Directory, "tls"), settings.Name, ["localhost", "127.0.0.1"]);
        }

        var (httpPort, httpsPort, adminPort) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());

        var node = new
        {
            NodeName = settings.Name,
            Site = "local",
            Listeners = new
            {
                Http = new { Address = "127.0.0.1", Port = httpPort },
                Https = tls is null ? null : new { Address = "127.0.0.1", Port = httpsPort, Tls = new { tls.CertificatePath, tls.KeyPath } },
                Admin = new { Address = "127.0.0.1", Port = adminPort },
            },
            Admin = new { Tokens = new[] { AdminToken } },
            Cache = new
            {
                Name = settings.Daemon.Section.ToLowerInvariant(),
                Volumes = new[] { new { Path = Path.Combine(settings.Directory, "cache", "volume0"), CapacityBytes = 512L << 20 } },
                Index = new { Directory = Path.Combine(settings.Directory, "cache", "index"), MemoryBytes = 64L << 20, HashTableBytes = 8L << 20 },
            },
            Upstreams = new
            {
                Parents = settings.Parents.Select(u => new { Url = u }).ToArray(),
                Origins = settings.Origins.Select(u => new { Url = u }).ToArray(),
            },
        };

        var config = new Dictionary<string, object>
        {
            [settings.Daemon.Section] = node,
            ["Logging"] = new
            {
                LogLevel = new Dictionary<string, string>
                {
                    ["Default"] = "Information",
                    ["Microsoft.AspNetCore"] = "Warning",
                    ["Cdn.Access"] = settings.AccessLog ? "Information" : "Warning",
                },
            },
        };
        var configPath = Path.Combine(settings.Directory, settings.Daemon.Assembly + ".json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config, IndentedJson), cancellationToken);

        var args = new List<string> { "--config", configPath };
        args.AddRange(settings.Overrides.Select(kv => $"--{settings.Daemon.Section}:{kv.Key}={kv.Value}"));
        var process = DaemonProcess.Start(settings.Name, settings.Daemon.Dll, args, Path.Combine(settings.Directory, settings.Daemon.Assembly + ".log"), settings.Directory);
        var started = new CacheNodeProcess(settings, process, httpPort, httpsPort, adminPort, tls?.CertificatePath, configPath);
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

    /// <summary>An HttpClient that trusts exactly this node's certificate (for warm-up and checks from the test).</summary>
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
