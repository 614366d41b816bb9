using System.Net;
using System.Net.Http.Json;
using Cdn.Contracts.Purge;

namespace Cdn.Proxy.Tests.Functional;

public sealed class HttpsAndAdminTests() : EdgeOverOriginTests("https", https: true)
{
    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Https_serves_misses_hits_and_ranges_over_http1_and_http2(string version)
    {
        var body = TestOrigin.Bytes(700_000, 21);
        var path = $"/t1/tls{version}.m4s";
        Origin.Serve(path, body, ("Cache-Control", "max-age=600"));
        using var client = Edge.HttpsClient(Version.Parse(version));

        var miss = await client.GetAsync(path);
        var hit = await client.GetAsync(path);
        var range = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199) } });

        Assert.Equal(Version.Parse(version), hit.Version);
        Assert.Equal(body, await miss.Content.ReadAsByteArrayAsync());
        Assert.Equal(body, await hit.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("HIT", hit.Headers.GetValues("X-Cache").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(body.AsSpan(100, 100).ToArray(), await range.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, Origin.Hits(path));
    }

    [Fact]
    public async Task Http1_over_tls_is_served_by_the_fast_engine_and_http2_by_kestrel()
    {
        Origin.Serve("/t1/alpn.m4s", TestOrigin.Bytes(1000), ("Cache-Control", "max-age=600"));
        using var http1 = Edge.HttpsClient(new Version(1, 1));
        using var http2 = Edge.HttpsClient(new Version(2, 0));

        Assert.Equal(HttpStatusCode.OK, (await http1.GetAsync("/t1/alpn.m4s")).StatusCode);
        var whileOpen = await Edge.Admin.GetStringAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, (await http2.GetAsync("/t1/alpn.m4s")).StatusCode);

        // The fast engine counts its TLS connections under listener="https"; Kestrel's HTTP/2 ones are not counted there.
        Assert.Contains("cdn_http_open_connections{listener=\"https\",service=\"edge\"} 1\n", whileOpen);
        Assert.Contains("cdn_http_open_connections{listener=\"https\",service=\"edge\"} 1\n", await Edge.Admin.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Https_refuses_traversal_like_the_cleartext_path()
    {
        // HttpClient would resolve the dot segments itself: send the raw bytes over TLS.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Edge.HttpsPort!.Value);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, certificate, chain, _) => Edge.TrustsDevCa(certificate, chain));
        await tls.AuthenticateAsClientAsync("localhost");
        await tls.WriteAsync("GET /t1/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
        var reader = new StreamReader(tls);

        var statusLine = await reader.ReadLineAsync();

        Assert.StartsWith("HTTP/1.1 400", statusLine, StringComparison.Ordinal);
        Assert.Equal(0, Origin.Hits("/etc/passwd"));
    }

    [Fact]
    public async Task The_admin_api_needs_a_token_for_everything_but_health()
    {
        using var anonymous = new HttpClient { BaseAddress = Edge.Admin.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/admin/purge", new NodePurgeCommand("p", "http://x/a", PurgeKind.Url))).StatusCode);
        // The public listener never serves admin routes: there /metrics is just an object the origin lacks.
        var publicMetrics = await Edge.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, publicMetrics.StatusCode);
        Assert.DoesNotContain("process_cpu_seconds_total", await publicMetrics.Content.ReadAsStringAsync());
        Assert.Equal(1, Origin.Hits("/metrics"));
    }

    [Fact]
    public async Task Purge_by_url_and_by_prefix_removes_exactly_those_objects()
    {
        foreach (var name in (string[])["a", "b", "c"])
        {
            Origin.Serve($"/t2/{name}.m4s", TestOrigin.Bytes(100), ("Cache-Control", "max-age=600"));
            Origin.Serve($"/t3/{name}.m4s", TestOrigin.Bytes(100), ("Cache-Control", "max-age=600"));
            await Edge.Http.GetAsync($"/t2/{name}.m4s");
            await Edge.Http.GetAsync($"/t3/{name}.m4s");
        }

        var one = await Edge.Admin.PostAsJsonAsync("/admin/purge", new NodePurgeCommand("p1", "http://127.0.0.1/t2/a.m4s", PurgeKind.Url));
        var prefix = await Edge.Admin.PostAsJsonAsync("/admin/purge", new NodePurgeCommand("p2", "127.0.0.1/t3/", PurgeKind.Prefix));
        var bad = await Edge.Admin.PostAsJsonAsync("/admin/purge", new NodePurgeCommand("p3", "/no-host", PurgeKind.Url));

        Assert.Equal(1, (await one.Content.ReadFromJsonAsync<NodePurgeResult>())!.ObjectsRemoved);
        Assert.Equal(3, (await prefix.Content.ReadFromJsonAsync<NodePurgeResult>())!.ObjectsRemoved);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await Edge.Http.GetAsync("/t2/a.m4s");
        await Edge.Http.GetAsync("/t2/b.m4s");
        await Edge.Http.GetAsync("/t3/c.m4s");
        Assert.Equal(2, Origin.Hits("/t2/a.m4s"));
        Assert.Equal(1, Origin.Hits("/t2/b.m4s"));
        Assert.Equal(2, Origin.Hits("/t3/c.m4s"));
    }

    [Fact]
    public async Task Metrics_show_requests_by_status_and_cache_result_bytes_and_upstream_latency()
    {
        Origin.Serve("/t4/m.m4s", TestOrigin.Bytes(1000), ("Cache-Control", "max-age=600"));
        await Edge.Http.GetAsync("/t4/m.m4s");
        await Edge.Http.GetAsync("/t4/m.m4s");

        var text = await Edge.Admin.GetStringAsync("/metrics");

        Assert.Contains("cdn_http_requests_total{cache=\"hit\",service=\"edge\",status=\"200\"}", text);
        Assert.Contains("cdn_http_requests_total{cache=\"miss\",service=\"edge\",status=\"200\"}", text);
        Assert.Contains("cdn_http_response_body_bytes_total{service=\"edge\"}", text);
        Assert.Contains("cdn_upstream_first_byte_seconds_bucket{service=\"edge\",upstream=", text);
        Assert.Contains("cdn_cache_volume_used_bytes{cache=\"edge-test\"", text);
        Assert.Contains("cdn_http_open_connections{listener=\"http\",service=\"edge\"}", text);
        Assert.Contains("process_cpu_seconds_total", text);
    }
}
