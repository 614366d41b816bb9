using System.Diagnostics;

namespace LoadBench.Servers;

/// <summary>
/// Apache Traffic Server from a sandbox runroot (its own config, cache file and logs): reverse proxy, one
/// exec thread on the server core, RAM cache off (the OS page cache serves everyone), TLS built in.
/// ATS refuses to serve as root, so it runs as the trafficserver user Debian's package creates.
/// </summary>
internal sealed class TrafficServer : IServerUnderTest
{
    private readonly string _dir;
    private readonly int _originPort;
    private readonly (string Cert, string Key) _tls;
    private readonly string _core;
    private Process? _process;

    public TrafficServer(string dir, int originPort, (string Cert, string Key) tls, string core, int httpPort, int httpsPort)
    {
        _dir = dir;
        _originPort = originPort;
        _tls = tls;
        _core = core;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
    }

    public string Name => "trafficserver";

    public int HttpPort { get; }

    public int HttpsPort { get; }

    public IReadOnlyList<int> Processes() => _process is null ? [] : ProcessTree.WithDescendants(_process.Id);

    public async Task StartAsync()
    {
        foreach (var sub in (string[])["etc", "cache", "var", "run", "log"])
        {
            Directory.CreateDirectory(Path.Combine(_dir, sub));
        }

        var etc = Path.Combine(_dir, "etc");
        await File.WriteAllTextAsync(Path.Combine(_dir, "runroot.yaml"), $"""
            prefix: {_dir}
            exec_prefix: /usr
            bindir: /usr/bin
            sbindir: /usr/sbin
            sysconfdir: {etc}
            datadir: {_dir}/cache
            includedir: /usr/include
            libdir: /usr/lib/trafficserver
            libexecdir: /usr/lib/trafficserver/modules
            localstatedir: {_dir}/var
            runtimedir: {_dir}/run
            logdir: {_dir}/log
            cachedir: {_dir}/cache
            """);
        foreach (var file in (string[])["hosting.config", "parent.config", "plugin.config", "socks.config", "splitdns.config", "volume.config", "ip_allow.yaml", "sni.yaml", "strategies.yaml", "logging.yaml"])
        {
            var source = Path.Combine("/etc/trafficserver", file);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(etc, file), overwrite: true);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(etc, "records.config"), $"""
            CONFIG proxy.config.http.server_ports STRING {HttpPort} {HttpsPort}:ssl
            CONFIG proxy.config.reverse_proxy.enabled INT 1
            CONFIG proxy.config.url_remap.remap_required INT 1
            CONFIG proxy.config.http.cache.http INT 1
            CONFIG proxy.config.exec_thread.autoconfig INT 0
            CONFIG proxy.config.exec_thread.limit INT 1
            CONFIG proxy.config.accept_threads INT 0
            CONFIG proxy.config.task_threads INT 1
            CONFIG proxy.config.cache.ram_cache.size INT 0
            CONFIG proxy.config.log.logging_enabled INT 0
            CONFIG proxy.config.admin.user_id STRING trafficserver
            CONFIG proxy.config.crash_log_helper STRING ""
            CONFIG proxy.config.http.insert_response_via_str INT 0
            CONFIG proxy.config.http.keep_alive_no_activity_timeout_in INT 75
            CONFIG proxy.config.http.cache.open_write_fail_action INT 0
            CONFIG proxy.config.ssl.server.cert.path STRING {Path.GetDirectoryName(_tls.Cert)}
            CONFIG proxy.config.ssl.server.private_key.path STRING {Path.GetDirectoryName(_tls.Key)}
            CONFIG proxy.config.ssl.TLSv1 INT 0
            CONFIG proxy.config.ssl.TLSv1_1 INT 0
            """);
        await File.WriteAllTextAsync(Path.Combine(etc, "storage.config"), $"{_dir}/cache 8G\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "remap.config"), $"map / http://127.0.0.1:{_originPort}/\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "ssl_multicert.config"), $"dest_ip=* ssl_cert_name={Path.GetFileName(_tls.Cert)} ssl_key_name={Path.GetFileName(_tls.Key)}\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "cache.config"), "");
        await ProcessTree.RunAsync("chown", ["-R", "trafficserver:trafficserver", _dir]);
        await ProcessTree.RunAsync("chmod", ["o+r", _tls.Key]);
        _process = ProcessTree.Start(_core, "traffic_server", [], new Dictionary<string, string> { ["TS_RUNROOT"] = Path.Combine(_dir, "runroot.yaml") },
            Path.Combine(_dir, "stdout.log"));
        await ProcessTree.WaitForAsync($"http://127.0.0.1:{HttpPort}/nope", TimeSpan.FromSeconds(60), expected: 404);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
