using System.Diagnostics;

namespace LoadBench.Servers;

/// <summary>
/// Varnish Cache (file storage, streaming and request coalescing are its defaults) on the server core; TLS
/// through hitch in front of it (Varnish has no TLS of its own), whose CPU counts as Varnish's for HTTPS.
/// </summary>
internal sealed class VarnishServer(string dir, int originPort, (string Cert, string Key) tls, string core, int httpPort, int httpsPort)
    : ServerUnderTest(dir, originPort, tls, core, httpPort, httpsPort)
{
    public override string Name => "varnish";

    public override async Task StartAsync()
    {
        Directory.CreateDirectory(Dir);
        var work = Path.Combine(Dir, "work");
        Directory.CreateDirectory(work);
        var vcl = Path.Combine(Dir, "default.vcl");
        await File.WriteAllTextAsync(vcl, $$"""
            vcl 4.1;
            backend origin { .host = "127.0.0.1"; .port = "{{OriginPort}}"; }
            sub vcl_recv { set req.backend_hint = origin; }
            sub vcl_backend_response {
              set beresp.do_stream = true;
              if (beresp.ttl <= 0s) { set beresp.ttl = 1d; }
            }
            """);
        await ProcessTree.RunAsync("chown", ["-R", "varnish:varnish", Dir]);
        Track(ProcessTree.Start(Core, "varnishd",
            ["-F", "-f", vcl, "-a", $"127.0.0.1:{HttpPort}", "-n", work, "-s", $"file,{Path.Combine(Dir, "storage.bin")},8G", "-p", "thread_pools=1", "-p", "thread_pool_min=16"],
            log: Path.Combine(Dir, "varnishd.log")));
        await ProcessTree.WaitForAsync($"http://127.0.0.1:{HttpPort}/nope", TimeSpan.FromSeconds(30), expected: 404);

        var pem = Path.Combine(Dir, "hitch.pem");
        // Key then chain; the PEM writers end without a newline, which would glue two armour lines together.
        await File.WriteAllTextAsync(pem, (await File.ReadAllTextAsync(Tls.Key)).TrimEnd() + "\n" + await File.ReadAllTextAsync(Tls.Cert));
        Track(ProcessTree.Start(Core, "hitch",
            ["--frontend", $"[127.0.0.1]:{HttpsPort}", "--backend", $"[127.0.0.1]:{HttpPort}", "--tls-protos", "TLSv1.2 TLSv1.3", "--workers", "1", "--daemon=off", "--user", "nobody", pem],
            log: Path.Combine(Dir, "hitch.log")));
        await ProcessTree.WaitForPortAsync(HttpsPort, TimeSpan.FromSeconds(20));
    }
}
