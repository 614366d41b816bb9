using Packaging.Tests.Support;

namespace Packaging.Tests;

/// <summary>
/// The edgenode package on this machine: installed with dpkg, started the way its unit starts it (CI runs no
/// systemd), serving through its shipped configuration, stopped, upgraded, removed and purged.
/// </summary>
[Collection(nameof(DpkgCollection))]
public sealed class InstalledEdgeTests(DebPackages debs) : IAsyncLifetime
{
    private const string Package = "edgenode";
    private const string Unit = "/lib/systemd/system/edgenode.service";
    private const string Config = "/etc/edgenode/edgenode.json";
    private const string Segment = "/title-1/720p/seg_00001.m4s";
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(2);
    private readonly TempDirectory _origin = new("pkg-origin");
    private readonly byte[] _segment = new byte[300_000];

    public async Task InitializeAsync()
    {
        Dpkg.RequireRoot();
        await Dpkg.PurgeIfPresentAsync(Package);
        Random.Shared.NextBytes(_segment);
        Directory.CreateDirectory(_origin.Combine("title-1", "720p"));
        await File.WriteAllBytesAsync(_origin.Combine("title-1", "720p", "seg_00001.m4s"), _segment);
    }

    public async Task DisposeAsync()
    {
        await Dpkg.PurgeIfPresentAsync(Package);
        _origin.Dispose();
    }

    [Fact]
    public async Task The_installed_edge_starts_like_its_unit_notifies_systemd_serves_and_stops_cleanly()
    {
        await Dpkg.InstallAsync(debs.Deb(Package));

        // What postinst made: the system user, its directories and secrets, the enabled unit.
        var account = (await GetentAsync("passwd", Package)).Split(':');
        Assert.True(int.Parse(account[2]) < 1000, $"{Package} is not a system user: {string.Join(':', account)}");
        Assert.Equal(["/var/lib/edgenode", "/usr/sbin/nologin"], account[5..7]);
        Assert.Equal("0640 root:edgenode", await StatAsync("/etc/edgenode/edgenode-admin.token"));
        Assert.Equal("0640 root:edgenode", await StatAsync("/etc/edgenode/tls/edgenode.key"));
        Assert.Equal("0644 root:root", await StatAsync(Config));
        Assert.Equal("0750 edgenode:edgenode", await StatAsync("/var/lib/edgenode"));
        Assert.Equal("0750 edgenode:edgenode", await StatAsync("/var/cache/edgenode"));
        Assert.True(File.Exists("/etc/systemd/system/multi-user.target.wants/edgenode.service"), "the unit is not enabled");
        var token = (await File.ReadAllTextAsync("/etc/edgenode/edgenode-admin.token")).Trim();
        Assert.Matches("^[0-9a-f]{48}$", token);

        using var notify = new NotifySocket();
        await using var edge = StartEdge(notify);
        var messages = await ReceiveUntilOrOutputAsync(notify, "READY=1", edge);
        messages = await ReceiveUntilOrOutputAsync(notify, "MAINPID=", edge, messages);
        Assert.Contains($"MAINPID={edge.Pid}", messages);
        await ReceiveUntilOrOutputAsync(notify, "WATCHDOG=1", edge, messages);

        // Players: cleartext (zero copy) fills then hits; HTTPS with the certificate postinst made; IPv6 too.
        var miss = await edge.CurlAsync($"http://127.0.0.1{Segment}");
        Assert.Equal(200, miss.Status);
        Assert.Equal(_segment, miss.Body);
        Assert.Matches("(?mi)^X-Cache: MISS", miss.Headers);
        var hit = await edge.CurlAsync($"http://127.0.0.1{Segment}");
        Assert.Matches("(?mi)^X-Cache: HIT", hit.Headers);
        var https = await edge.CurlAsync($"https://127.0.0.1{Segment}", "--insecure", "--http2");
        Assert.Equal(200, https.Status);
        Assert.Equal(_segment, https.Body);
        Assert.StartsWith("HTTP/2 200", https.Headers, StringComparison.Ordinal);
        Assert.Equal(_segment, (await edge.CurlAsync($"http://[::1]{Segment}")).Body);

        // Admin on loopback 9443 with the generated token; readiness.
        Assert.Equal(401, (await edge.CurlAsync("http://127.0.0.1:9443/metrics")).Status);
        var metrics = await edge.CurlAsync("http://127.0.0.1:9443/metrics", "--header", $"Authorization: Bearer {token}");
        Assert.Equal(200, metrics.Status);
        Assert.Equal(200, (await edge.CurlAsync("http://127.0.0.1:9443/readyz")).Status);

        // Stop as systemd does: STOPPING=1, a clean exit, an index checkpoint on disk.
        var exitCode = await edge.TerminateAsync();
        await ReceiveUntilOrOutputAsync(notify, "STOPPING=1", edge);
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{edge.Output}");
        Assert.NotEmpty(Directory.GetFiles("/var/lib/edgenode/index", "*", SearchOption.AllDirectories));

        // journald-friendly: under INVOCATION_ID the log lines carry syslog priority prefixes, no timestamps.
        Assert.Matches(@"(?m)^<6>Cdn\.", edge.Output);
    }

    [Fact]
    public async Task Remove_keeps_configuration_and_data_purge_deletes_them_and_locks_the_user()
    {
        await Dpkg.InstallAsync(debs.Deb(Package));
        await ServeOnceAsync(expectHit: false); // puts an object in the cache and the index

        await Dpkg.RemoveAsync(Package);

        Assert.Equal("deinstall ok config-files", await Dpkg.StatusAsync(Package));
        Assert.False(File.Exists("/usr/bin/edgenode"));
        Assert.False(Directory.Exists("/usr/lib/edgenode"));
        Assert.False(File.Exists(Unit));
        Assert.True(File.Exists(Config));
        Assert.True(File.Exists("/etc/edgenode/edgenode-admin.token"));
        Assert.NotEmpty(Directory.GetFiles("/var/lib/edgenode/index", "*", SearchOption.AllDirectories));
        Assert.NotEmpty(Directory.GetFiles("/var/cache/edgenode", "*", SearchOption.AllDirectories));
        Assert.Equal("/dev/null", new FileInfo("/etc/systemd/system/edgenode.service").LinkTarget); // masked while its binary is gone
        Assert.NotEmpty(await GetentAsync("passwd", Package));

        await Dpkg.PurgeAsync(Package);

        Assert.Null(await Dpkg.StatusAsync(Package));
        foreach (var gone in (string[])[Config, "/etc/edgenode/edgenode-admin.token", "/etc/edgenode/tls/edgenode.key", "/var/lib/edgenode", "/var/cache/edgenode",
            "/etc/systemd/system/edgenode.service", "/etc/systemd/system/multi-user.target.wants/edgenode.service"])
        {
            Assert.False(Path.Exists(gone), $"{gone} survived the purge");
        }

        // The account stays (files it owns may remain on volumes outside /var/cache), locked; a new install takes it back.
        Assert.Equal("1", (await GetentAsync("shadow", Package)).Split(':')[7]);
        await Dpkg.InstallAsync(debs.Deb(Package));
        Assert.Equal("", (await GetentAsync("shadow", Package)).Split(':')[7]);
    }

    [Fact]
    public async Task Upgrading_keeps_the_operators_configuration_edit_and_the_cache()
    {
        await Dpkg.InstallAsync(debs.Deb(Package, revision: 1));
        var edited = (await File.ReadAllTextAsync(Config)).Replace("\"Site\": \"default\"", "\"Site\": \"ams-1\"", StringComparison.Ordinal);
        Assert.Contains("ams-1", edited);
        await File.WriteAllTextAsync(Config, edited);
        await ServeOnceAsync(expectHit: false);

        await Dpkg.InstallAsync(debs.Deb(Package, revision: 2));

        Assert.Equal(debs.Version(2), await Dpkg.VersionAsync(Package));
        Assert.Equal(edited, await File.ReadAllTextAsync(Config));
        // The origin is gone: a hit can only come from the cache the upgrade kept.
        File.Delete(_origin.Combine("title-1", "720p", "seg_00001.m4s"));
        await ServeOnceAsync(expectHit: true);
    }

    [Fact]
    public async Task The_daemon_makes_only_system_calls_its_units_filter_allows()
    {
        // The unit's SystemCallFilter cannot be exercised without systemd; instead every system call the daemon
        // makes from start to stop (a fill, hits over HTTP and HTTPS, admin, a reload) must be in the filter.
        ExternalTool.Require("strace", "strace");
        await Dpkg.InstallAsync(debs.Deb(Package));
        using var trace = new TempDirectory("strace");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(trace.Path, (UnixFileMode)0b111_111_111); // strace writes as the daemon's user
        }
        var summary = trace.Combine("summary");
        using var notify = new NotifySocket();
        await using (var edge = StartEdge(notify, ["strace", "--follow-forks", "--summary-only", "--output", summary]))
        {
            await ReceiveUntilOrOutputAsync(notify, "READY=1", edge);
            Assert.Equal(_segment, (await edge.CurlAsync($"http://127.0.0.1{Segment}")).Body);
            Assert.Equal(_segment, (await edge.CurlAsync($"http://127.0.0.1{Segment}")).Body);
            Assert.Equal(_segment, (await edge.CurlAsync($"https://127.0.0.1{Segment}", "--insecure")).Body);
            Assert.Equal(200, (await edge.CurlAsync("http://127.0.0.1:9443/readyz")).Status);
            await edge.SignalAsync("HUP");
            await ReceiveUntilOrOutputAsync(notify, "RELOADING=1", edge);
            Assert.Equal(0, await edge.TerminateAsync());
        }

        var allowed = await SyscallFilter.ExpandAsync(ServiceUnit.Read(Unit).All("SystemCallFilter"));
        var made = SyscallFilter.FromStraceSummary(await File.ReadAllTextAsync(summary));
        Assert.Contains("sendfile", made); // the trace saw the zero-copy hit path
        Assert.Empty(made.Except(allowed).Order());
    }

    private UnitProcess StartEdge(NotifySocket notify, IReadOnlyList<string>? wrapper = null)
        => UnitProcess.Start(Unit, notify.Path, Watchdog, new Dictionary<string, string>
        {
            // The shipped origin is a placeholder (origin.invalid): point it at this test's tree, as an operator's
            // drop-in would. Everything else is the shipped configuration.
            ["EDGENODE_Edge__Upstreams__Origins__0__Url"] = new Uri(_origin.Path + "/").AbsoluteUri,
        }, wrapper);

    private async Task ServeOnceAsync(bool expectHit)
    {
        using var notify = new NotifySocket();
        await using var edge = StartEdge(notify);
        await ReceiveUntilOrOutputAsync(notify, "READY=1", edge);
        var response = await edge.CurlAsync($"http://127.0.0.1{Segment}");
        Assert.True(response.Status == 200, $"{response.Headers}\n{edge.Output}");
        Assert.Equal(_segment, response.Body);
        Assert.Matches(expectHit ? "(?mi)^X-Cache: HIT" : "(?mi)^X-Cache: MISS", response.Headers);
        Assert.Equal(0, await edge.TerminateAsync());
    }

    private static async Task<List<string>> ReceiveUntilOrOutputAsync(NotifySocket notify, string expected, UnitProcess process, List<string>? already = null)
    {
        if (already?.Any(m => m.Contains(expected, StringComparison.Ordinal)) == true)
        {
            return already;
        }

        // Stop waiting when the daemon exits (a start-up failure shows its output at once), after taking what it
        // sent before exiting.
        using var exited = new CancellationTokenSource();
        var receive = notify.ReceiveUntilAsync(expected, TimeSpan.FromSeconds(90));
        var first = await Task.WhenAny(receive, process.WaitForExitAsync(exited.Token));
        if (first != receive)
        {
            first = await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2)));
        }

        await exited.CancelAsync();
        if (first == receive && receive.IsCompletedSuccessfully)
        {
            return receive.Result;
        }

        Assert.Fail($"no {expected} from the daemon (exited: {process.HasExited})\n{process.Output}");
        throw new InvalidOperationException("unreachable");
    }

    private static async Task<string> GetentAsync(string database, string key)
    {
        var (code, stdout, _) = await ExternalTool.RunAsync("getent", [database, key], TimeSpan.FromSeconds(30));
        return code == 0 ? stdout.Trim() : "";
    }

    private static async Task<string> StatAsync(string path)
    {
        var (code, stdout, stderr) = await ExternalTool.RunAsync("stat", ["--format=%04a %U:%G", path], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, stderr);
        return stdout.Trim();
    }
}
