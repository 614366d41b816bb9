using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cdn.Contracts;
using LocalCdn.Dns;
using LocalCdn.External;
using LocalCdn.Nodes;
using LocalCdn.Report;

namespace LocalCdn.Chain;

/// <summary>
/// A whole CDN on loopback as real processes built from this repository: the control plane (registry,
/// GeoDNS with a coverage zone file, fill plans), the packager daemon publishing to a local origin tree, shields
/// serving that tree, and one edge per site with every shield as a parent, registered with the control plane
/// and running the fill agent. The main job (<c>eng/run.sh</c>) and the system tests start it the same way.
/// </summary>
/// <remarks>
/// Everything lives under <see cref="Topology.StateDirectory"/>, which a start cleans (except the cached
/// source media) and holds with a lock file, so a second run reuses it safely and two runs never share it.
/// Processes stop in reverse order of start: SIGTERM, then SIGKILL after a grace period.
/// </remarks>
public sealed class LocalCdnChain : IAsyncDisposable
{
    private const string MarkerFile = ".local-cdn";
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    private readonly FileStream _lock;
    private readonly TextWriter _progress;
    private readonly List<CacheNodeProcess> _shields = [];
    private readonly List<CacheNodeProcess> _edges = [];
    private readonly HttpClient _api;
    private readonly HttpClient _packagerApi;
    private DaemonProcess? _controlPlane;
    private DaemonProcess? _packager;
    private bool _disposed;

    private LocalCdnChain(Topology topology, ChainSecrets secrets, FileStream lockFile, TextWriter progress)
    {
        Topology = topology;
        Secrets = secrets;
        _lock = lockFile;
        _progress = progress;
        _api = new HttpClient { BaseAddress = topology.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secrets.ControlPlaneToken);
        _packagerApi = new HttpClient { BaseAddress = topology.PackagerUrl, Timeout = TimeSpan.FromSeconds(30) };
        _packagerApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secrets.PackagerToken);
    }

    /// <summary>Addresses, ports and directories.</summary>
    public Topology Topology { get; }

    /// <summary>This run's tokens.</summary>
    public ChainSecrets Secrets { get; }

    /// <summary>The control plane process.</summary>
    public DaemonProcess ControlPlane => _controlPlane ?? throw new InvalidOperationException("not started");

    /// <summary>The packager daemon.</summary>
    public DaemonProcess Packager => _packager ?? throw new InvalidOperationException("not started");

    /// <summary>The shields, in topology order.</summary>
    public IReadOnlyList<CacheNodeProcess> Shields => _shields;

    /// <summary>The edges, in site order.</summary>
    public IReadOnlyList<CacheNodeProcess> Edges => _edges;

    /// <summary>Every daemon, in start order.</summary>
    public IEnumerable<DaemonProcess> Processes =>
        new[] { _controlPlane, _packager }.OfType<DaemonProcess>().Concat(_shields.Select(s => s.Process)).Concat(_edges.Select(e => e.Process));

    /// <summary>The edge of <paramref name="site"/>.</summary>
    public CacheNodeProcess EdgeOf(string site) => _edges.Single(e => e.Name == Topology.EdgeOf(site).Name);

    /// <summary>The edge whose address is <paramref name="address"/> (what GeoDNS answered).</summary>
    public CacheNodeProcess EdgeAt(string address) => _edges.FirstOrDefault(e => e.Settings.Address == address)
        ?? throw new InvalidOperationException($"no edge at {address} (edges: {string.Join(", ", _edges.Select(e => $"{e.Name} {e.Settings.Address}"))})");

    /// <summary>
    /// Cleans and locks the state directory, then starts the control plane, the packager, the shields and the
    /// edges, each waited for on its <c>/readyz</c>, and waits until GeoDNS answers every site with its edge.
    /// </summary>
    public static async Task<LocalCdnChain> StartAsync(Topology topology, TextWriter progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(progress);
        var lockFile = PrepareStateDirectory(topology);
        LocalCdnChain? chain = null;
        try
        {
            var secrets = ChainSecrets.Create(topology.SecretsDirectory);
            chain = new LocalCdnChain(topology, secrets, lockFile, progress);
            await chain.StartProcessesAsync(cancellationToken);
            return chain;
        }
        catch
        {
            if (chain is null)
            {
                await lockFile.DisposeAsync();
            }
            else
            {
                await chain.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Removes what a previous run left in the state directory (keeping the cached source media) and takes the
    /// directory's lock. Refuses a non-empty directory that is not a local CDN's, and one another run holds.
    /// </summary>
    public static FileStream PrepareStateDirectory(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var root = topology.StateDirectory;
        Directory.CreateDirectory(root);
        var entries = Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).ToList();
        if (entries.Count > 0 && !entries.Contains(MarkerFile))
        {
            throw new InvalidOperationException($"{root} is not empty and is not a local CDN state directory (no {MarkerFile}): choose another --state-dir, or delete it if it is yours (the main job before the local CDN left its files in .demo/)");
        }

        File.WriteAllText(Path.Combine(root, MarkerFile), "state directory of tools/LocalCdn (eng/run.sh); a run cleans it\n");
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(root, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"another local CDN is running on {root} (its .lock is held): stop it first, or use another --state-dir", e);
        }

        var keep = new HashSet<string>(StringComparer.Ordinal) { MarkerFile, ".lock", Path.GetFileName(topology.SourceDirectory) };
        foreach (var entry in Directory.EnumerateFileSystemEntries(root))
        {
            if (keep.Contains(Path.GetFileName(entry)))
            {
                continue;
            }

            if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        foreach (var dir in new[] { topology.OriginRoot, topology.SourceDirectory, topology.ControlPlaneDirectory, topology.PackagerDirectory, topology.ToolLogDirectory })
        {
            Directory.CreateDirectory(dir);
        }

        return lockFile;
    }

    private async Task StartProcessesAsync(CancellationToken cancellationToken)
    {
        var t = Topology;
        var clock = Stopwatch.StartNew();

        await WriteJsonAsync(ChainConfiguration.CoverageZoneFilePath(t), ChainConfiguration.CoverageZones(t), cancellationToken);
        var cpConfig = Path.Combine(t.ControlPlaneDirectory, "controlplane.json");
        await WriteJsonAsync(cpConfig, ChainConfiguration.ControlPlane(t, Secrets, DateTimeOffset.UtcNow), cancellationToken);
        _controlPlane = DaemonProcess.Start("controlplane", DaemonBinary.ControlPlane, ["--config", cpConfig], Path.Combine(t.ControlPlaneDirectory, "controlplane.log"), t.ControlPlaneDirectory);
        await _controlPlane.WaitReadyAsync(new Uri(t.ApiUrl, "readyz"), TimeSpan.FromSeconds(90), cancellationToken);
        Say($"controlplane  api {t.ApiUrl}  geodns 127.0.0.1:{t.DnsPort} udp+tcp  ({clock.Elapsed.TotalSeconds:0.0} s)");

        var packagerConfig = Path.Combine(t.PackagerDirectory, "packager.json");
        await WriteJsonAsync(packagerConfig, ChainConfiguration.Packager(t, Secrets), cancellationToken);
        _packager = DaemonProcess.Start("packager", DaemonBinary.Packager, ["--config", packagerConfig], Path.Combine(t.PackagerDirectory, "packager.log"), t.PackagerDirectory);
        await _packager.WaitReadyAsync(new Uri(t.PackagerUrl, "readyz"), TimeSpan.FromSeconds(90), cancellationToken);
        Say($"packager      api {t.PackagerUrl}  origin tree {t.OriginRoot}  ({clock.Elapsed.TotalSeconds:0.0} s)");

        // Shields, then edges (their parents' probes then pass at once); each tier in parallel.
        foreach (var shield in await Task.WhenAll(t.Shields.Select(s => CacheNodeProcess.StartAsync(ChainConfiguration.Shield(t, s, Secrets), cancellationToken))))
        {
            _shields.Add(shield);
            Say($"{shield.Name,-13} http {shield.Http}  admin {shield.Admin}  ({clock.Elapsed.TotalSeconds:0.0} s)");
        }

        foreach (var edge in await Task.WhenAll(t.Edges.Select(e => CacheNodeProcess.StartAsync(ChainConfiguration.Edge(t, e, Secrets), cancellationToken))))
        {
            _edges.Add(edge);
            Say($"{edge.Name,-13} https {edge.Https}  http {edge.Http}  admin {edge.Admin}  site {edge.Settings.Site}  ({clock.Elapsed.TotalSeconds:0.0} s)");
        }

        // Registered and up: GeoDNS answers each site's subnet with that site's edge.
        foreach (var site in t.Sites)
        {
            var expected = t.EdgeOf(site.Name).Address;
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var answer = await ResolveAsync(site.Name, cancellationToken);
                if (answer.Addresses.Contains(expected))
                {
                    break;
                }

                if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"GeoDNS does not answer {t.CdnHost} for {site.ProbeSubnet} with {expected} after 60 s (answer: [{string.Join(", ", answer.Addresses)}]); see {ControlPlane.LogPath}");
                }

                await Task.Delay(250, cancellationToken);
            }
        }

        Say($"all up: GeoDNS answers every site with its edge ({clock.Elapsed.TotalSeconds:0.0} s)");
    }

    /// <summary>Asks GeoDNS (dig) for the CDN host as a client of <paramref name="site"/>'s probe subnet.</summary>
    public Task<GeoDnsAnswer> ResolveAsync(string site, CancellationToken cancellationToken = default)
        => Dig.QueryAsync("127.0.0.1", Topology.DnsPort, Topology.CdnHost, Topology.Site(site).ProbeSubnet, ToolLog("dig"), cancellationToken);

    /// <summary>
    /// Packages <paramref name="source"/> as <see cref="Topology.TitleId"/> through the packager's API (default
    /// profile: the full ladder up to the source's 1080p), released now, and waits until the job ends and the
    /// control plane's catalog has the title (the packager tells it).
    /// </summary>
    public async Task<PackagingOutcome> PackageAsync(string source, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var submit = await _packagerApi.PostAsJsonAsync("/api/v1/jobs", new
        {
            titleId = Topology.TitleId,
            source,
            releaseDate = DateTimeOffset.UtcNow,
        }, cancellationToken);
        var body = await submit.Content.ReadAsStringAsync(cancellationToken);
        if (!submit.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the packager refused the job ({(int)submit.StatusCode}): {body}");
        }

        var id = JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"no job id in {body}");
        var lastReport = TimeSpan.Zero;
        var lastStage = "";
        while (true)
        {
            await Task.Delay(500, cancellationToken);
            var job = JsonNode.Parse(await _packagerApi.GetStringAsync($"/api/v1/jobs/{id}", cancellationToken))!;
            var state = job["state"]?.ToString() ?? "";
            if (state is "Succeeded" or "Failed" or "Cancelled")
            {
                var outcome = new PackagingOutcome(id, state, job["error"]?.ToString(), clock.Elapsed, Renditions(job), job["result"]?["encoder"]?.ToJsonString());
                if (state != "Succeeded")
                {
                    return outcome;
                }

                await WaitForCatalogAsync(timeout - clock.Elapsed, cancellationToken);
                return outcome with { Took = clock.Elapsed };
            }

            var stage = job["stage"]?.ToString() ?? "";
            if (stage != lastStage || clock.Elapsed - lastReport >= TimeSpan.FromSeconds(30))
            {
                (lastStage, lastReport) = (stage, clock.Elapsed);
                Say($"packaging: {state} {stage} {job["progress"]?.GetValue<double>() ?? 0:0} % ({clock.Elapsed.TotalSeconds:0} s)");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"packaging job {id} still {state} after {timeout}; see {Packager.LogPath}");
            }
        }
    }

    private async Task WaitForCatalogAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var path = ControlPlaneRoutes.TitleById.Replace("{id}", Uri.EscapeDataString(Topology.TitleId), StringComparison.Ordinal);
        while (true)
        {
            using var response = await _api.GetAsync(path, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"the control plane's catalog has no '{Topology.TitleId}' ({(int)response.StatusCode}); the packager's notification: see {Packager.LogPath}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static List<string> Renditions(JsonNode job)
    {
        var list = new List<string>();
        if (job["result"]?["renditions"] is JsonArray renditions)
        {
            foreach (var r in renditions)
            {
                var name = r?["name"]?.ToString() ?? "?";
                var peak = r?["peakBandwidth"]?.GetValue<long>() ?? 0;
                list.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {peak / 1e6:0.00} Mbit/s"));
            }
        }

        return list;
    }

    /// <summary>Runs <c>edgectl</c> against this control plane (its token file), <paramref name="args"/> after the connection options.</summary>
    public Task<CommandResult> EdgeCtlAsync(IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellationToken = default)
        => Command.RunAsync("dotnet",
            [DaemonBinary.EdgeCtl, "--server", Topology.ApiUrl.AbsoluteUri, "--token-file", Secrets.ControlPlaneTokenFile, .. args],
            timeout, ToolLog("edgectl"), cancellationToken: cancellationToken);

    /// <summary>
    /// <c>edgectl fill plan --site S --push</c>, then <c>edgectl fill status --site S --wait</c>: the site's edges
    /// fill their part of the plan (the window is open). Returns edgectl's status output; fails when either fails.
    /// </summary>
    public async Task<(string Plan, string Status, TimeSpan Took)> FillSiteAsync(string site, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Topology.Site(site);
        var clock = Stopwatch.StartNew();
        var plan = await EdgeCtlAsync(["fill", "plan", "--site", site, "--push"], TimeSpan.FromMinutes(2), cancellationToken);
        if (plan.ExitCode != 0)
        {
            throw new InvalidOperationException($"edgectl fill plan --site {site} --push failed (exit {plan.ExitCode}):\n{plan.StdOut}{plan.StdErr}");
        }

        var wait = timeout.ToString("c", CultureInfo.InvariantCulture);
        var status = await EdgeCtlAsync(["fill", "status", "--site", site, "--wait", "--timeout", wait, "--json"], timeout + TimeSpan.FromSeconds(30), cancellationToken);
        if (status.ExitCode != 0)
        {
            throw new InvalidOperationException($"edgectl fill status --site {site} --wait --timeout {wait} failed (exit {status.ExitCode}):\n{status.StdOut}{status.StdErr}");
        }

        return (plan.StdOut, DescribeFillProgress(status.StdOut), clock.Elapsed);
    }

    /// <summary>One line per edge from <c>edgectl fill status --json</c>: plan version, objects, bytes, failures, window.</summary>
    public static string DescribeFillProgress(string json)
    {
        var lines = new List<string>();
        foreach (var p in JsonNode.Parse(json)?.AsArray() ?? [])
        {
            string Text(string name) => p?[name]?.ToString() ?? "?";
            double Number(string name) => p?[name]?.GetValue<double>() ?? 0;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Text("nodeId")} (site {Text("site")}) plan v{Text("planVersion")}: {Text("objectsDone")}/{Text("objectsTotal")} objects, "
                + $"{Number("bytesDone") / 1e6:0.0}/{Number("bytesTotal") / 1e6:0.0} MB, {Text("errors")} failing, window {(Text("inWindow") == "true" ? "open" : "closed")}, {Text("activity")}"));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Every shield's metrics now (an empty snapshot for one that is down).</summary>
    public async Task<IReadOnlyList<MetricsSnapshot>> ShieldMetricsAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<MetricsSnapshot>();
        foreach (var shield in _shields)
        {
            list.Add(shield.Process.HasExited ? MetricsSnapshot.Empty : await shield.MetricsAsync(cancellationToken));
        }

        return list;
    }

    /// <summary>
    /// Processes other than this one whose command line names the state directory (every daemon of the chain
    /// gets its config from there): after a stop there must be none, or they are orphans.
    /// </summary>
    public static IReadOnlyList<string> ProcessesUsing(string stateDirectory)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                if (commandLine.Contains(stateDirectory + "/", StringComparison.Ordinal))
                {
                    found.Add($"{pid} {commandLine}");
                }
            }
            catch (IOException)
            {
                // exited while we looked
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>A log file under the state directory for a tool the chain runs.</summary>
    public string ToolLog(string tool) => Path.Combine(Topology.ToolLogDirectory, tool + ".log");

    /// <summary>Stops every process (edges first, the control plane last), releases the state directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var tiers = new List<IEnumerable<DaemonProcess>>
        {
            _edges.Select(e => e.Process),
            _shields.Select(s => s.Process),
            new[] { _packager, _controlPlane }.OfType<DaemonProcess>(),
        };
        foreach (var tier in tiers)
        {
            await Task.WhenAll(tier.Select(async p =>
            {
                await p.TerminateAsync(StopGrace);
                await p.DisposeAsync();
            }));
        }

        _api.Dispose();
        _packagerApi.Dispose();
        await _lock.DisposeAsync();
    }

    private void Say(string line) => _progress.WriteLine($"   {line}");

    private static Task WriteJsonAsync(string path, JsonNode json, CancellationToken cancellationToken)
        => File.WriteAllTextAsync(path, json.ToJsonString(ChainJson.Indented) + "\n", cancellationToken);
}
