using System.Net;
using Cdn.Proxy.Testing;
using System.Security.Cryptography;
using Cdn.Hosting.Tls;

namespace EdgeNode.Tests;

/// <summary>
/// The real edgenode process with connections handled on the socket I/O threads (the default) and on the thread
/// pool (<c>Listeners:InlineIo</c> false): both serve many concurrent keep-alive clients over HTTPS and cleartext,
/// byte for byte, with one origin fetch per cached object.
/// </summary>
public sealed class IoSchedulingProcessTests
{
    private const string Token = "io-scheduling-token-0123456789";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Concurrent_HTTPS_and_cleartext_clients_get_exact_bodies_with_one_origin_fetch_per_cached_object(bool inlineIo)
    {
        using var dir = new TempDirectory("io-sched");
        var playlist = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"#EXTINF:4.000,\nseg{i}.m4s\n")) + "#EXT-X-ENDLIST\n";
        var objects = new Dictionary<string, byte[]>
        {
            ["/v/index.m3u8"] = System.Text.Encoding.UTF8.GetBytes(playlist),
            ["/v/seg0.m4s"] = RandomNumberGenerator.GetBytes(300_000),
            ["/v/seg1.m4s"] = RandomNumberGenerator.GetBytes(70_000),
        };
        await using var origin = await TestOrigin.StartAsync();
        foreach (var (path, body) in objects)
        {
            var type = path.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : "video/iso.segment";
            origin.Serve(path, body, ("Content-Type", type), ("Cache-Control", "max-age=600"));
        }

        var authority = DevCertificateAuthority.EnsureAuthority(dir.Combine("ca"));
        var tls = DevCertificateAuthority.IssueServerCertificate(authority, dir.Combine("tls"), "edge", ["localhost"]);
        var (httpPort, httpsPort, adminPort) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        var config = dir.Combine("edgenode.json");
        await File.WriteAllTextAsync(config, $$"""
        {
          "Edge": {
            "NodeName": "edge-io",
            "Listeners": {
              "InlineIo": {{(inlineIo ? "true" : "false")}},
              "Http": { "Address": "127.0.0.1", "Port": {{httpPort}} },
              "Https": { "Address": "127.0.0.1", "Port": {{httpsPort}}, "Tls": { "CertificatePath": "{{tls.CertificatePath}}", "KeyPath": "{{tls.KeyPath}}" } },
              "Admin": { "Address": "127.0.0.1", "Port": {{adminPort}} }
            },
            "Admin": { "Tokens": [ "{{Token}}" ] },
            "Cache": { "Volumes": [ { "Path": "{{dir.Combine("vol")}}", "CapacityBytes": 104857600 } ], "Index": { "Directory": "{{dir.Combine("idx")}}" } },
            "Upstreams": { "Origins": [ { "Url": "{{origin.Url}}" } ] }
          },
          "Logging": { "LogLevel": { "Default": "Warning" } }
        }
        """);

        using var edge = Daemons.Start(Daemons.Binary("EdgeNode", "edgenode"), config, dir.Combine("edge.log"));
        try
        {
            using var probe = new HttpClient();
            await Daemons.EventuallyAsync(async () =>
            {
                try
                {
                    return (await probe.GetAsync($"http://127.0.0.1:{adminPort}/readyz")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), "edgenode to be ready");

            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 32,
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, _) => DevCaTrust.Validates(authority.CertificatePath, certificate, chain) },
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
            var bases = new[] { $"https://localhost:{httpsPort}", $"http://127.0.0.1:{httpPort}" };
            var paths = objects.Keys.ToArray();
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            var served = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, 64), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (worker, ct) =>
            {
                for (var i = 0; i < 25; i++)
                {
                    var path = paths[(worker + i) % paths.Length];
                    var url = bases[(worker + i) % 2] + path;
                    using var response = await client.GetAsync(url, ct);
                    var body = await response.Content.ReadAsByteArrayAsync(ct);
                    if (response.StatusCode != HttpStatusCode.OK || !body.AsSpan().SequenceEqual(objects[path]))
                    {
                        failures.Add($"{url}: {(int)response.StatusCode}, {body.Length} bytes");
                    }

                    Interlocked.Increment(ref served);
                }
            });

            Assert.Empty(failures);
            Assert.Equal(64 * 25, served);
            // The cache key is host + path: the two listeners' host names are two objects each, one fetch each.
            Assert.All(paths, p => Assert.Equal(bases.Length, origin.Hits(p)));
            Assert.False(edge.HasExited, "edgenode exited under load");
        }
        finally
        {
            await Daemons.TerminateAsync(edge, TimeSpan.FromSeconds(30));
        }
    }
}
