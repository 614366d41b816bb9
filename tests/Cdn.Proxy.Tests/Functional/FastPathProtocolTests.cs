using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Cdn.Proxy.Tests.Functional;

public sealed class FastPathProtocolTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("fast");
    private TestOrigin _origin = null!;
    private TestEdge _edge = null!;

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync();
        _edge = await TestEdge.StartAsync(_dir.Path, [_origin.Url], new()
        {
            ["Edge:FastPath:RequestHeadersTimeout"] = "00:00:01",
            ["Edge:FastPath:KeepAliveTimeout"] = "00:00:01",
            ["Edge:FastPath:MaxRequestHeadBytes"] = "4096",
            ["Edge:FastPath:MaxRequestTargetBytes"] = "1024",
            ["Edge:FastPath:MinResponseBytesPerSecond"] = "40000000",
            ["Edge:FastPath:SendGracePeriod"] = "00:00:01.5",
        });
        _origin.Serve("/t1/a.m4s", Encoding.ASCII.GetBytes("AAAA"), ("Cache-Control", "max-age=600"));
        _origin.Serve("/t1/b.m4s", Encoding.ASCII.GetBytes("BBBBBBBB"), ("Cache-Control", "max-age=600"));
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _origin.DisposeAsync();
        _dir.Dispose();
    }

    private async Task StillServesAsync() => Assert.Equal("AAAA", await _edge.Http.GetStringAsync("/t1/a.m4s"));

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        using var client = new RawHttp(_edge.HttpPort);
        client.Send("GET /t1/a.m4s HTTP/1.1\r\nHost: x\r\n\r\nGET /t1/b.m4s HTTP/1.1\r\nHost: x\r\n\r\nHEAD /t1/a.m4s HTTP/1.1\r\nHost: x\r\n\r\n");

        var first = await client.ReadAsync();
        var second = await client.ReadAsync();
        client.Send("GET /t1/a.m4s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal("AAAA", first.Text);
        Assert.Equal("BBBBBBBB", second.Text);
        var head = await client.ReadAsync();
        Assert.Equal("4", head.Headers["Content-Length"]);
        var last = await client.ReadAsync();
        Assert.Equal("close", last.Headers["Connection"]);
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /t1/a.m4s HTTP/1.1\r\nHost : x\r\n\r\n", 400)]
    [InlineData("GET /t1/a.m4s HTTP/3.0\r\nHost: x\r\n\r\n", 505)]
    [InlineData("GET /t1/a.m4s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", 400)]
    [InlineData("GET /t1/a.m4s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)]
    [InlineData("BREW /t1/a.m4s HTTP/1.1\r\nHost: x\r\n\r\n", 501)]
    public async Task Malformed_requests_get_an_error_and_the_daemon_keeps_serving(string request, int status)
    {
        using (var client = new RawHttp(_edge.HttpPort))
        {
            client.Send(request);
            var response = await client.ReadAsync();
            Assert.Equal(status, response.Status);
        }

        await StillServesAsync();
    }

    [Fact]
    public async Task Oversized_heads_and_targets_get_431_and_414_and_close()
    {
        using (var big = new RawHttp(_edge.HttpPort))
        {
            big.Send("GET /t1/a.m4s HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('x', 5000) + "\r\n\r\n");
            Assert.Equal(431, (await big.ReadAsync()).Status);
            Assert.True(await big.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
        }

        using (var longTarget = new RawHttp(_edge.HttpPort))
        {
            longTarget.Send("GET /" + new string('a', 2000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal(414, (await longTarget.ReadAsync()).Status);
        }

        await StillServesAsync();
    }

    [Theory]
    [InlineData("/../../etc/passwd")]
    [InlineData("/t1/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/t1/..%5c..%5cwin.ini")]
    public async Task Path_traversal_is_refused_without_reaching_the_origin(string target)
    {
        using var client = new RawHttp(_edge.HttpPort);
        client.Send($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(400, (await client.ReadAsync()).Status);
        client.Send("GET /t1/a.m4s HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("AAAA", (await client.ReadAsync()).Text); // same connection still usable
        Assert.Equal(0, _origin.Hits("/etc/passwd"));
    }

    [Fact]
    public async Task A_request_head_that_trickles_in_too_slowly_gets_408()
    {
        using var client = new RawHttp(_edge.HttpPort);
        client.Send("GET /t1/a.m4s HTTP/1.1\r\nHost: x\r\n");

        var response = await client.ReadAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(408, response.Status);
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed()
    {
        using var client = new RawHttp(_edge.HttpPort);
        client.Send("GET /t1/a.m4s HTTP/1.1\r\nHost: x\r\n\r\n");
        await client.ReadAsync();

        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Http10_without_keep_alive_closes_after_the_response()
    {
        using var client = new RawHttp(_edge.HttpPort);
        client.Send("GET /t1/a.m4s HTTP/1.0\r\nHost: x\r\n\r\n");

        var response = await client.ReadAsync();

        Assert.Equal("AAAA", response.Text);
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_hit_body_goes_out_with_sendfile()
    {
        var body = TestOrigin.Bytes(2_000_000, 11);
        _origin.Serve("/t1/big.m4s", body, ("Cache-Control", "max-age=600"));
        await _edge.Http.GetByteArrayAsync("/t1/big.m4s");
        var before = _edge.Cache.Metrics.SendfileCalls;

        var hit = await _edge.Http.GetByteArrayAsync("/t1/big.m4s");

        Assert.Equal(body, hit);
        Assert.True(_edge.Cache.Metrics.SendfileCalls > before);
    }

    [Fact]
    public async Task Strace_sees_sendfile_and_no_body_copies_on_a_hit()
    {
        var strace = ExternalTool.Require("strace", "strace");
        var body = TestOrigin.Bytes(1_000_000, 12);
        _origin.Serve("/t1/traced.m4s", body, ("Cache-Control", "max-age=600"));
        await _edge.Http.GetByteArrayAsync("/t1/traced.m4s");
        var log = Path.Combine(_dir.Path, "strace.log");
        using var tracer = Process.Start(new ProcessStartInfo(strace)
        {
            ArgumentList = { "-f", "-e", "trace=sendfile,pread64", "-o", log, "-p", Environment.ProcessId.ToString() },
            RedirectStandardError = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(log) || !(await tracer.StandardError.ReadLineAsync() ?? "").Contains("attached", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "strace did not attach");
        }

        await Task.Delay(500); // strace attaches thread by thread
        Assert.Equal(body, await _edge.Http.GetByteArrayAsync("/t1/traced.m4s"));
        tracer.Kill();
        await tracer.WaitForExitAsync();

        var traced = await File.ReadAllTextAsync(log);
        Assert.Matches(@"sendfile\(\d+, \d+, \[0\] => \[1000000\], 1000000\) = 1000000", traced);
        Assert.DoesNotMatch(@"pread64\(\d+, .*, 1000000, 0\)", traced);
    }

    [Fact]
    public async Task A_reader_slower_than_the_minimum_rate_is_cut_off()
    {
        var body = TestOrigin.Bytes(40_000_000, 13);
        _origin.Serve("/t1/huge.mp4", body, ("Cache-Control", "max-age=600"));
        await _edge.Http.GetByteArrayAsync("/t1/huge.mp4");

        using var client = new RawHttp(_edge.HttpPort);
        client.Socket.ReceiveBufferSize = 64 * 1024;
        client.Send("GET /t1/huge.mp4 HTTP/1.1\r\nHost: x\r\n\r\n");
        await Task.Delay(TimeSpan.FromSeconds(5)); // not reading: 40 MB at >= 40 MB/s + 1.5 s grace has expired

        var received = 0L;
        var buffer = new byte[1 << 20];
        try
        {
            int n;
            while ((n = await client.Socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                received += n;
            }
        }
        catch (SocketException)
        {
            // reset: also a cut-off
        }

        Assert.True(received < body.Length, $"received all {received} bytes: the slow reader was not cut off");
        await StillServesAsync();
    }

    [Fact]
    public async Task Stopping_lets_an_in_flight_response_finish_and_refuses_new_connections()
    {
        var body = TestOrigin.Bytes(900_000, 14);
        _origin.ServeSlowly("/t1/draining.m4s", body, 600_000, ("Cache-Control", "max-age=600"));
        var download = _edge.Http.GetByteArrayAsync("/t1/draining.m4s");
        await Task.Delay(300);

        var stop = _edge.StopAsync();

        Assert.Equal(body, await download);
        await stop;
        await Assert.ThrowsAnyAsync<Exception>(() => _edge.Http.GetStringAsync("/t1/a.m4s"));
    }
}
