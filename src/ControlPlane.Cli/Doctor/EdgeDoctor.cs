using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Cdn.Contracts;
using Cdn.Hosting.Configuration;
using Cdn.Proxy.Node;
using Microsoft.Extensions.Configuration;

namespace Cdn.ControlPlane.Cli.Doctor;

/// <summary>
/// Turn-up checks for a freshly installed edge, run on the edge: its configuration is valid (the daemon's own
/// validation), its ports can be bound, its cache volumes are writable and as large as configured, the
/// control plane and the upstreams answer, and the clock agrees with the control plane's.
/// </summary>
internal sealed class EdgeDoctor
{
    private const long ProbeBytes = 1 << 20;

    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public EdgeDoctor(TimeProvider time, TimeSpan timeout)
    {
        _time = time;
        _timeout = timeout;
    }

    public async Task<DoctorReport> RunAsync(string configPath, CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        var (options, fillHost, configCheck) = LoadConfig(configPath);
        checks.Add(configCheck);
        if (options is null)
        {
            foreach (var name in new[] { "ports", "volumes", "control plane", "upstreams", "clock" })
            {
                checks.Add(new DoctorCheck(name, DoctorStatus.Skip, "needs a valid configuration"));
            }

            return new DoctorReport(configPath, checks);
        }

        if (options.ControlPlane is not null && fillHost is null)
        {
            checks.Add(new DoctorCheck("fill", DoctorStatus.Warn, "no Fill:Host: this edge reports to a control plane but does not fill its site's plans",
                "add \"Fill\": { \"Host\": \"video.cdn.example\" } (the host players use), or \"Fill\": { \"Enabled\": false } to say it is meant"));
        }

        checks.AddRange(await PortsAsync(options, cancellationToken));
        checks.AddRange(Volumes(options));
        var (controlPlane, serverDate) = await ControlPlaneAsync(options, cancellationToken);
        checks.Add(controlPlane);
        checks.AddRange(await UpstreamsAsync(options, cancellationToken));
        checks.Add(Clock(serverDate));
        return new DoctorReport(configPath, checks);
    }

    private static (CacheNodeOptions? Options, string? FillHost, DoctorCheck Check) LoadConfig(string path)
    {
        if (!File.Exists(path))
        {
            return (null, null, new DoctorCheck("config", DoctorStatus.Fail, $"{path} does not exist",
                "install the edgenode package (it ships /etc/edgenode/edgenode.json) or pass --edge-config with the file edgenode runs with"));
        }

        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            return (null, null, new DoctorCheck("config", DoctorStatus.Fail, $"{path} cannot be read: {ex.InnerException?.Message ?? ex.Message}",
                "fix the JSON (a trailing comma or a missing quote) and run edgectl doctor again"));
        }

        var section = root.GetSection("Edge");
        var options = new CacheNodeOptions();
        var errors = new OptionsErrors();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add("Edge", ex.Message);
        }

        options.ApplyDefaults();
        UnknownSettings.Find(section, typeof(CacheNodeOptions), "Edge", errors);
        options.Validate("Edge", errors);
        if (errors.HasErrors)
        {
            return (null, null, new DoctorCheck("config", DoctorStatus.Fail, $"{path}: " + string.Join("; ", errors.Errors),
                "fix each setting named above; 'edgenode --check-config' reports the same"));
        }

        // Fill disabled on purpose counts as configured.
        var host = string.Equals(root["Fill:Enabled"], "false", StringComparison.OrdinalIgnoreCase) ? "(disabled)" : root["Fill:Host"];
        return (options, string.IsNullOrWhiteSpace(host) ? null : host,
            new DoctorCheck("config", DoctorStatus.Pass, $"{path} is valid (node {options.NodeName}, site {options.Site}, {options.Cache.Volumes.Count} volume(s))"));
    }

    private static async Task<List<DoctorCheck>> PortsAsync(CacheNodeOptions options, CancellationToken cancellationToken)
    {
        var endpoints = new List<(string Name, IPEndPoint EndPoint)>();
        if (options.Listeners.Http is { } http)
        {
            endpoints.Add(("http", http.Endpoint.EndPoint));
        }

        if (options.Listeners.Https is { } https)
        {
            endpoints.Add(("https", https.Endpoint.EndPoint));
        }

        endpoints.Add(("admin", options.Listeners.Admin.EndPoint));
        var running = await AnswersHealthAsync(options.Listeners.Admin.EndPoint, cancellationToken);
        var checks = new List<DoctorCheck>();
        foreach (var (name, endpoint) in endpoints)
        {
            try
            {
                using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(endpoint);
                checks.Add(new DoctorCheck($"port {name}", DoctorStatus.Pass, $"{endpoint} can be bound"));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && running)
            {
                checks.Add(new DoctorCheck($"port {name}", DoctorStatus.Pass, $"{endpoint} is in use by the running edgenode (its admin listener answers /healthz)"));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                checks.Add(new DoctorCheck($"port {name}", DoctorStatus.Fail, $"{endpoint} is in use by another process",
                    $"find it with: ss -ltnp 'sport = :{endpoint.Port}' — stop it or move Edge:Listeners to a free port"));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AccessDenied)
            {
                checks.Add(new DoctorCheck($"port {name}", DoctorStatus.Fail, $"{endpoint}: permission denied",
                    "ports below 1024 need root or CAP_NET_BIND_SERVICE (the edgenode systemd unit grants it); run doctor with sudo to check as the service would"));
            }
            catch (SocketException ex)
            {
                checks.Add(new DoctorCheck($"port {name}", DoctorStatus.Fail, $"{endpoint}: {ex.Message}",
                    "the address must be one of this machine's (ip -br addr) or 0.0.0.0"));
            }
        }

        return checks;
    }

    private static async Task<bool> AnswersHealthAsync(IPEndPoint admin, CancellationToken cancellationToken)
    {
        var host = admin.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : admin.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : admin.Address;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{new IPEndPoint(host, admin.Port)}/healthz"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static List<DoctorCheck> Volumes(CacheNodeOptions options)
    {
        var checks = new List<DoctorCheck>();
        var perFilesystem = new Dictionary<string, (long Capacity, DriveInfo Drive, List<string> Paths)>(StringComparer.Ordinal);
        foreach (var volume in options.Cache.Volumes)
        {
            var path = Path.GetFullPath(volume.Path);
            if (Probe(path) is { } problem)
            {
                checks.Add(new DoctorCheck($"volume {path}", DoctorStatus.Fail, problem,
                    $"create it and give the edgenode user write access: install -d -o edgenode -g edgenode {path} (or fix the disk: dmesg, smartctl)"));
                continue;
            }

            var drive = new DriveInfo(path);
            var key = drive.RootDirectory.FullName;
            var (capacity, _, paths) = perFilesystem.TryGetValue(key, out var existing) ? existing : (0L, drive, new List<string>());
            paths.Add(path);
            perFilesystem[key] = (capacity + volume.CapacityBytes, drive, paths);
        }

        foreach (var (mount, (capacity, drive, paths)) in perFilesystem)
        {
            var name = $"volume {string.Join(", ", paths)}";
            if (drive.TotalSize < capacity)
            {
                checks.Add(new DoctorCheck(name, DoctorStatus.Fail, $"CapacityBytes adds up to {capacity:N0} bytes on {mount}, but that filesystem holds {drive.TotalSize:N0}",
                    "lower Edge:Cache:Volumes:*:CapacityBytes to about 90% of the filesystem, or mount the intended NVMe drive there"));
            }
            else if (drive.AvailableFreeSpace < capacity)
            {
                checks.Add(new DoctorCheck(name, DoctorStatus.Warn, $"writable; {drive.AvailableFreeSpace:N0} bytes free on {mount} for {capacity:N0} configured (fine if the cache already holds the difference)",
                    "on a fresh install give each volume a filesystem of its own, or lower CapacityBytes"));
            }
            else
            {
                checks.Add(new DoctorCheck(name, DoctorStatus.Pass, $"writable; {capacity:N0} bytes configured, {drive.AvailableFreeSpace:N0} free on {mount}"));
            }
        }

        var index = Path.GetFullPath(options.Cache.Index.Directory);
        checks.Add(Probe(index) is { } indexProblem
            ? new DoctorCheck("cache index", DoctorStatus.Fail, $"{index}: {indexProblem}", $"create it writable for the edgenode user: install -d -o edgenode -g edgenode {index}")
            : new DoctorCheck("cache index", DoctorStatus.Pass, $"{index} is writable"));
        return checks;
    }

    /// <summary>Writes, syncs, reads back and deletes a probe file; null when all of it worked.</summary>
    private static string? Probe(string directory)
    {
        var probe = Path.Combine(directory, $".edgectl-doctor-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(directory);
            var data = new byte[ProbeBytes];
            new Random(42).NextBytes(data);
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }

            var back = File.ReadAllBytes(probe);
            return back.AsSpan().SequenceEqual(data) ? null : "a probe file read back differently: the disk or filesystem is failing";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Reported above if it mattered.
            }
        }
    }

    private async Task<(DoctorCheck Check, DateTimeOffset? ServerDate)> ControlPlaneAsync(CacheNodeOptions options, CancellationToken cancellationToken)
    {
        if (options.ControlPlane is not { } cp)
        {
            return (new DoctorCheck("control plane", DoctorStatus.Skip, "no Edge:ControlPlane section: this edge runs standalone (no GeoDNS, fill plans or purges)"), null);
        }

        using var http = new HttpClient { Timeout = _timeout };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(cp.Url), ControlPlaneRoutes.Sites.TrimStart('/')));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cp.ResolveToken());
            using var response = await http.SendAsync(request, cancellationToken);
            var date = response.Headers.Date;
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return (new DoctorCheck("control plane", DoctorStatus.Fail, $"{cp.Url} rejected the token",
                    "Edge:ControlPlane:Token (or TokenFile) must hold one of the control plane's Auth:Tokens"), date);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (new DoctorCheck("control plane", DoctorStatus.Fail, $"{cp.Url} answered {(int)response.StatusCode}", "check Edge:ControlPlane:Url points at the control plane API"), date);
            }

            var sites = await response.Content.ReadFromJsonAsync(CdnJson.Default.IReadOnlyListSiteInfo, cancellationToken) ?? [];
            var site = cp.Site is { Length: > 0 } s ? s : options.Site;
            return sites.Any(x => x.Name == site)
                ? (new DoctorCheck("control plane", DoctorStatus.Pass, $"{cp.Url} answers; site {site} is configured there"), date)
                : (new DoctorCheck("control plane", DoctorStatus.Fail, $"{cp.Url} answers, but has no site '{site}' (it has: {string.Join(", ", sites.Select(x => x.Name))})",
                    "set Edge:Site to one of those, or add the site to the control plane's Registry:Sites"), date);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return (new DoctorCheck("control plane", DoctorStatus.Fail, $"{cp.Url} is unreachable: {ex.Message}",
                "check Edge:ControlPlane:Url, DNS, and that the management network lets this edge reach the control plane's Api:Listen port"), null);
        }
    }

    private async Task<List<DoctorCheck>> UpstreamsAsync(CacheNodeOptions options, CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = _timeout, AllowAutoRedirect = false }) { Timeout = _timeout };
        foreach (var (kind, server) in options.Upstreams.Parents.Select(p => ("parent", p)).Concat(options.Upstreams.Origins.Select(o => ("origin", o))))
        {
            var uri = server.Uri;
            var name = $"{kind} {server.DisplayName}";
            if (uri.IsFile)
            {
                checks.Add(Directory.Exists(uri.LocalPath)
                    ? new DoctorCheck(name, DoctorStatus.Pass, $"origin tree {uri.LocalPath} exists")
                    : new DoctorCheck(name, DoctorStatus.Fail, $"origin tree {uri.LocalPath} does not exist", "mount or create the packager's publish directory"));
                continue;
            }

            try
            {
                using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, uri), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                checks.Add(new DoctorCheck(name, DoctorStatus.Pass, $"{uri} answers (HTTP {(int)response.StatusCode})"));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                checks.Add(new DoctorCheck(name, DoctorStatus.Fail, $"{uri} is unreachable: {ex.Message}",
                    $"check the address and that firewalls let this edge reach {uri.Host} port {uri.Port}"));
            }
        }

        if (checks.Count == 0)
        {
            checks.Add(new DoctorCheck("upstreams", DoctorStatus.Fail, "no parent or origin configured", "add Edge:Upstreams:Parents (the shields)"));
        }

        return checks;
    }

    private DoctorCheck Clock(DateTimeOffset? serverDate)
    {
        var now = _time.GetUtcNow();
        if (now.Year < 2024)
        {
            return new DoctorCheck("clock", DoctorStatus.Fail, $"the clock says {now:u}", "set the time and enable NTP: timedatectl set-ntp true");
        }

        if (serverDate is not { } server)
        {
            return new DoctorCheck("clock", DoctorStatus.Skip, $"{now:u}; no control plane answer to compare with");
        }

        // Date has one-second resolution: within two seconds is as close as this can tell.
        var skew = now - server;
        return Math.Abs(skew.TotalSeconds) <= 2
            ? new DoctorCheck("clock", DoctorStatus.Pass, $"within {Math.Abs(skew.TotalSeconds):0.#} s of the control plane")
            : new DoctorCheck("clock", DoctorStatus.Fail, $"{skew.TotalSeconds:+0.#;-0.#} s off the control plane's clock (signed URLs, fill windows and TLS depend on it)",
                "enable NTP: timedatectl set-ntp true (or configure chrony), then check timedatectl status");
    }
}
