using System.Diagnostics;

namespace LoadBench.Servers;

/// <summary>
/// Apache Traffic Server from a sandbox runroot (its own config, cache file and logs): reverse proxy, one
/// exec thread on the server core, RAM cache off (the OS page cache serves everyone), TLS built in.
/// ATS refuses to serve as root, so it runs as the trafficserver user Debian's package creates.
/// </summary>
internal sealed class TrafficServer(string dir, int originPort, (string Cert, string Key) tls, string core, int httpPort, int httpsPort)
    : ServerUnderTest(dir, originPort, tls, core, httpPort, httpsPort)
{
    public override string Name => "trafficserver";

    public override async Task StartAsync()
    {
        foreach (var sub in (string[])["etc", "cache", "var", "run", "log"])
        {
            Directory.CreateDirectory(Path.Combine(Dir, sub));
        }

        var etc = Path.Combine(Dir, "etc");
        await File.WriteAllTextAsync(Path.Combine(Dir, "runroot.yaml"), $"""
            prefix: {Dir}
            exec_prefix: /usr
            bindir: /usr/bin
            sbindir: /usr/sbin
            sysconfdir: {etc}
            datadir: {Dir}/cache
            includedir: /usr/include
            libdir: /usr/lib/trafficserver
            libexecdir: /usr/lib/trafficserver/modules
            localstatedir: {Dir}/var
            runtimedir: {Dir}/run
            logdir: {Dir}/log
            cachedir: {Dir}/cache
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
            CONFIG proxy.config.ssl.server.cert.path STRING {Path.GetDirectoryName(Tls.Cert)}
            CONFIG proxy.config.ssl.server.private_key.path STRING {Path.GetDirectoryName(Tls.Key)}
            CONFIG proxy.config.ssl.TLSv1 INT 0
            CONFIG proxy.config.ssl.TLSv1_1 INT 0
            """);
        await File.WriteAllTextAsync(Path.Combine(etc, "storage.config"), $"{Dir}/cache 8G\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "remap.config"), $"map / http://127.0.0.1:{OriginPort}/\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "ssl_multicert.config"), $"dest_ip=* ssl_cert_name={Path.GetFileName(Tls.Cert)} ssl_key_name={Path.GetFileName(Tls.Key)}\n");
        await File.WriteAllTextAsync(Path.Combine(etc, "cache.config"), "");
        await ProcessTree.RunAsync("chown", ["-R", "trafficserver:trafficserver", Dir]);
        await ProcessTree.RunAsync("chmod", ["o+r", Tls.Key]);
        Track(ProcessTree.Start(Core, "traffic_server", [], new Dictionary<string, string> { ["TS_RUNROOT"] = Path.Combine(Dir, "runroot.yaml") },
            Path.Combine(Dir, "stdout.log")));
        await ProcessTree.WaitForAsync($"http://127.0.0.1:{HttpPort}/nope", TimeSpan.FromSeconds(60), expected: 404);
    }
}
