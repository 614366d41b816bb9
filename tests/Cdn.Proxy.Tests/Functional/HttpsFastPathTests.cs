using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Cdn.Proxy.Tests.Functional;

/// <summary>The fast HTTP/1.1 engine behind TLS: large bodies written in multi-record chunks, ranges, HEAD, closing, slow readers.</summary>
public sealed class HttpsFastPathTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("https-fast");
    private TestOrigin _origin = null!;
    private TestEdge _edge = null!;

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync();
        _edge = await TestEdge.StartAsync(_dir.Path, [_origin.Url], new()
        {
            ["Edge:FastPath:MinResponseBytesPerSecond"] = "40000000",
            ["Edge:FastPath:SendGracePeriod"] = "00:00:01.5",
        }, https: true);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _origin.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_large_body_arrives_byte_exact_whole_and_in_ranges_across_write_chunks()
    {
        var body = TestOrigin.Bytes(5_000_003, 31);
        _origin.Serve("/t1/big.m4s", body, ("Cache-Control", "max-age=600"));
        using var client = _edge.HttpsClient(new Version(1, 1));
        Assert.Equal(body, await client.GetByteArrayAsync("/t1/big.m4s")); // miss: streamed while filling

        var hit = await client.GetAsync("/t1/big.m4s");
        Assert.StartsWith("HIT", hit.Headers.GetValues("X-Cache").Single(), StringComparison.Ordinal);
        Assert.Equal(body, await hit.Content.ReadAsByteArrayAsync());
        foreach (var (from, to) in new (long, long)[] { (0, 0), (65_530, 200_000), (1, 65_536), (4_999_990, 5_000_002) })
        {
            var range = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/t1/big.m4s") { Headers = { Range = new RangeHeaderValue(from, to) } });
            Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
            Assert.Equal(body.AsSpan((int)from, (int)(to - from + 1)).ToArray(), await range.Content.ReadAsByteArrayAsync());
        }

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/t1/big.m4s"));
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Equal(1, _origin.Hits("/t1/big.m4s"));
    }

    [Fact]
    public async Task Connection_close_over_tls_delivers_the_whole_body_then_ends_the_tls_session()
    {
        var body = TestOrigin.Bytes(1_000_001, 32);
        _origin.Serve("/t1/close.m4s", body, ("Cache-Control", "max-age=600"));
        using var warm = _edge.HttpsClient(new Version(1, 1));
        await warm.GetByteArrayAsync("/t1/close.m4s");
        await using var tls = await ConnectAsync();

        await tls.WriteAsync("GET /t1/close.m4s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
        using var received = new MemoryStream();
        await tls.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(10)); // ends only at close_notify / FIN

        var bytes = received.ToArray();
        var headEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        var head = Encoding.ASCII.GetString(bytes, 0, headEnd);
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        Assert.Contains("Connection: close", head, StringComparison.Ordinal);
        Assert.Equal(body, bytes[headEnd..]);
    }

    [Fact]
    public async Task A_tls_reader_slower_than_the_minimum_rate_is_cut_off()
    {
        var body = TestOrigin.Bytes(40_000_000, 33);
        _origin.Serve("/t1/huge.mp4", body, ("Cache-Control", "max-age=600"));
        using var warm = _edge.HttpsClient(new Version(1, 1));
        await warm.GetByteArrayAsync("/t1/huge.mp4");
        using var tcp = new TcpClient { ReceiveBufferSize = 64 * 1024 };
        await tcp.ConnectAsync(IPAddress.Loopback, _edge.HttpsPort!.Value);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, chain, _) => _edge.TrustsDevCa(certificate, chain));
        await tls.AuthenticateAsClientAsync("localhost");

        await tls.WriteAsync("GET /t1/huge.mp4 HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        await Task.Delay(TimeSpan.FromSeconds(5)); // not reading: 40 MB at >= 40 MB/s + 1.5 s grace has expired
        var received = 0L;
        var buffer = new byte[1 << 20];
        try
        {
            int n;
            while ((n = await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10))) > 0)
            {
                received += n;
            }
        }
        catch (IOException)
        {
            // reset: also a cut-off
        }

        Assert.True(received < body.Length, $"received all {received} bytes: the slow reader was not cut off");
        _origin.Serve("/t1/after.m4s", Encoding.ASCII.GetBytes("still here"), ("Cache-Control", "max-age=600"));
        Assert.Equal("still here", await warm.GetStringAsync("/t1/after.m4s"));
    }

    [Fact]
    public async Task Pipelined_requests_over_tls_are_answered_in_order()
    {
        _origin.Serve("/t1/p1.m4s", TestOrigin.Bytes(100_000, 34), ("Cache-Control", "max-age=600"));
        _origin.Serve("/t1/p2.m3u8", Encoding.ASCII.GetBytes("#EXTM3U\n"), ("Cache-Control", "max-age=600"));
        using var warm = _edge.HttpsClient(new Version(1, 1));
        await warm.GetByteArrayAsync("/t1/p1.m4s");
        await warm.GetByteArrayAsync("/t1/p2.m3u8");
        await using var tls = await ConnectAsync();

        await tls.WriteAsync("GET /t1/p1.m4s HTTP/1.1\r\nHost: localhost\r\n\r\nGET /t1/p2.m3u8 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray());
        using var received = new MemoryStream();
        await tls.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(10));

        var text = Encoding.Latin1.GetString(received.ToArray());
        var second = text.IndexOf("HTTP/1.1 200", 12, StringComparison.Ordinal);
        Assert.True(second > 100_000, "the second response must follow the whole first body");
        Assert.EndsWith("\r\n\r\n#EXTM3U\n", text, StringComparison.Ordinal);
        Assert.Equal(TestOrigin.Bytes(100_000, 34), received.ToArray().AsSpan(second - 100_000, 100_000).ToArray());
    }

    [Fact]
    public async Task A_client_that_does_not_speak_tls_is_dropped_and_the_listener_keeps_serving()
    {
        _origin.Serve("/t1/ok.m4s", Encoding.ASCII.GetBytes("fine"), ("Cache-Control", "max-age=600"));
        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync(IPAddress.Loopback, _edge.HttpsPort!.Value);
            var stream = plain.GetStream();
            await stream.WriteAsync("GET /t1/ok.m4s HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
            var buffer = new byte[4096];
            var read = 0;
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(15))) > 0)
                {
                    read += n;
                }
            }
            catch (IOException)
            {
                // reset: dropped too
            }

            Assert.DoesNotContain("fine", Encoding.Latin1.GetString(buffer, 0, Math.Min(read, buffer.Length)), StringComparison.Ordinal);
        }

        using var client = _edge.HttpsClient(new Version(1, 1));
        Assert.Equal("fine", await client.GetStringAsync("/t1/ok.m4s"));
    }

    [Theory]
    [InlineData(System.Security.Authentication.SslProtocols.Tls12)]
    [InlineData(System.Security.Authentication.SslProtocols.Tls13)]
    public async Task Tls12_and_tls13_clients_are_both_served(System.Security.Authentication.SslProtocols protocol)
    {
        var body = TestOrigin.Bytes(300_000, 35);
        _origin.Serve($"/t1/v{(int)protocol}.m4s", body, ("Cache-Control", "max-age=600"));
        await using var tls = await ConnectAsync(protocol);

        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /t1/v{(int)protocol}.m4s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var received = new MemoryStream();
        await tls.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(protocol, tls.SslProtocol);
        var bytes = received.ToArray();
        Assert.Equal(body, bytes[(bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 4)..]);
    }

    private async Task<SslStream> ConnectAsync(System.Security.Authentication.SslProtocols protocols = System.Security.Authentication.SslProtocols.None)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _edge.HttpsPort!.Value);
        var tls = new SslStream(tcp.GetStream(), false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => _edge.TrustsDevCa(certificate, chain),
        });
        return tls;
    }
}
