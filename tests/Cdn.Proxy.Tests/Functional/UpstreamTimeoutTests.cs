using System.Net;
using System.Net.Sockets;

namespace Cdn.Proxy.Tests.Functional;

public sealed class UpstreamTimeoutTests
{
    private static readonly Dictionary<string, string?> ShortTimeouts = new()
    {
        ["Edge:Upstreams:ConnectTimeout"] = "00:00:00.300",
        ["Edge:Upstreams:FirstByteTimeout"] = "00:00:00.500",
        ["Edge:Upstreams:IdleTimeout"] = "00:00:00.500",
    };

    [Fact]
    public async Task A_server_that_never_completes_the_handshake_is_a_connect_timeout()
    {
        using var dir = new TempDirectory("timeouts");
        // A listener that never accepts, with its accept queue filled: the kernel drops further SYNs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                filler.Connect(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                // in progress or dropped: either way it occupies or tries to occupy the queue
            }

            fillers.Add(filler);
        }

        try
        {
            await using var edge = await TestEdge.StartAsync(dir.Path, [$"http://127.0.0.1:{port}"], ShortTimeouts);

            var response = await edge.Http.GetAsync("/c/x.m4s");

            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            var metrics = await edge.Admin.GetStringAsync("/metrics");
            Assert.Contains($"cdn_upstream_timeouts_total{{kind=\"connect\",service=\"edge\",upstream=\"127.0.0.1:{port}\"}} 1", metrics);
            Assert.Contains($"cdn_origin_requests_total{{outcome=\"timeout\",service=\"edge\",upstream=\"127.0.0.1:{port}\"}} 1", metrics);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task An_origin_slow_to_answer_is_a_first_byte_timeout_and_one_that_stalls_mid_body_an_idle_timeout()
    {
        using var dir = new TempDirectory("timeouts");
        await using var origin = await TestOrigin.StartAsync();
        using var release = new CancellationTokenSource();
        origin.Route("/c/slow.m4s", async c => await Task.Delay(TimeSpan.FromSeconds(30), release.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        origin.Route("/c/stall.m4s", async c =>
        {
            c.Response.ContentLength = 100_000;
            c.Response.Headers.CacheControl = "max-age=600";
            await c.Response.Body.WriteAsync(new byte[10_000]);
            await c.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var edge = await TestEdge.StartAsync(dir.Path, [origin.Url], ShortTimeouts);

        var slow = await edge.Http.GetAsync("/c/slow.m4s");
        await Assert.ThrowsAnyAsync<Exception>(() => edge.Http.GetByteArrayAsync("/c/stall.m4s"));
        await release.CancelAsync();

        Assert.Equal(HttpStatusCode.GatewayTimeout, slow.StatusCode);
        var metrics = await edge.Admin.GetStringAsync("/metrics");
        Assert.Contains($"cdn_upstream_timeouts_total{{kind=\"first_byte\",service=\"edge\",upstream=\"{origin.BaseAddress.Authority}\"}} 1", metrics);
        Assert.Contains($"cdn_upstream_timeouts_total{{kind=\"idle\",service=\"edge\",upstream=\"{origin.BaseAddress.Authority}\"}} 1", metrics);
        Assert.Equal(0, edge.Cache.Engine.GetStatistics().Objects);
    }
}
