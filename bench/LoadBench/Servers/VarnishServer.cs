using System.Diagnostics;

namespace LoadBench.Servers;

/// <summary>
/// Varnish Cache (file storage, streaming and request coalescing are its defaults) on the server core; TLS
/// through hitch in front of it (Varnish has no TLS of its own), whose CPU counts as Varnish's for HTTPS.
/// </summary>
internal sealed class VarnishServer : IServerUnderTest
{
    private readonly string _dir;
    private readonly int _originPort;
    private readonly (string Cert, string Key) _tls;
    private readonly string _core;
    private Process? _varnish;
    private Process? _hitch;

    public VarnishServer(string dir, int originPort, (string Cert, string Key) tls, string core, int httpPort, int httpsPort)
    {
        _dir = dir;
        _originPort = originPort;
        _tls = tls;
        _core = core;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
    }

    public string Name => "varnish";

    public int HttpPort { get; }

    public int HttpsPort { get; }

    public IReadOnlyList<int> Processes()
    {
        var all = new List<int>();
        if (_varnish is not null)
        {
            all.AddRange(ProcessTree.WithDescendants(_varnish.Id));
        }

        if (_hitch is not null)
        {
            all.AddRange(ProcessTree.WithDescendants(_hitch.Id));
        }

        return all;
    }

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_dir);
        var work = Path.Combine(_dir, "work");
        Directory.CreateDirectory(work);
        var vcl = Path.Combine(_dir, "default.vcl");
        await File.WriteAllTextAsync(vcl, $$"""
            vcl 4.1;
            backend origin { .host = "127.0.0.1"; .port = "{{_originPort}}"; }
            sub vcl_recv { set req.backend_hint = origin; }
            sub vcl_backend_response {
              set beresp.do_stream = true;
              if (beresp.ttl <= 0s) { set beresp.ttl = 1d; }
            }
            """);
        await ProcessTree.RunAsync("chown", ["-R", "varnish:varnish", _dir]);
        _varnish = ProcessTree.Start(_core, "varnishd",
            ["-F", "-f", vcl, "-a", $"127.0.0.1:{HttpPort}", "-n", work, "-s", $"file,{Path.Combine(_dir, "storage.bin")},8G", "-p", "thread_pools=1", "-p", "thread_pool_min=16"],
            log: Path.Combine(_dir, "varnishd.log"));
        await ProcessTree.WaitForAsync($"http://127.0.0.1:{HttpPort}/nope", TimeSpan.FromSeconds(30), expected: 404);

        var pem = Path.Combine(_dir, "hitch.pem");
        // Key then chain; the PEM writers end without a newline, which would glue two armour lines together.
        await File.WriteAllTextAsync(pem, (await File.ReadAllTextAsync(_tls.Key)).TrimEnd() + "\n" + await File.ReadAllTextAsync(_tls.Cert));
        _hitch = ProcessTree.Start(_core, "hitch",
            ["--frontend", $"[127.0.0.1]:{HttpsPort}", "--backend", $"[127.0.0.1]:{HttpPort}", "--tls-protos", "TLSv1.2 TLSv1.3", "--workers", "1", "--daemon=off", "--user", "nobody", pem],
            log: Path.Combine(_dir, "hitch.log"));
        await ProcessTree.WaitForPortAsync(HttpsPort, TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in (Process?[])[_hitch, _varnish])
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process?.Dispose();
        }
    }
}
