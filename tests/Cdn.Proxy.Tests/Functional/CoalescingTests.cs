using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Cdn.Proxy.Tests.Functional;

public sealed class CoalescingTests() : EdgeOverOriginTests("herd")
{
    [Fact]
    public async Task A_herd_on_a_cold_object_makes_one_origin_fetch_and_every_client_streams_before_it_ends()
    {
        var body = TestOrigin.Bytes(1_500_000, 7);
        var originDone = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        Origin.Route("/t1/cold.m4s", async c =>
        {
            c.Response.ContentLength = body.Length;
            c.Response.Headers.CacheControl = "max-age=600";
            for (var at = 0; at < body.Length; at += 50_000)
            {
                await c.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(50_000, body.Length - at)));
                await c.Response.Body.FlushAsync();
                await Task.Delay(40); // ~1.2 MB/s: the fill takes over a second
            }

            originDone.SetResult(clock.ElapsedMilliseconds);
        });

        var clients = Enumerable.Range(0, 32).Select(async _ =>
        {
            using var response = await Edge.Http.GetAsync("/t1/cold.m4s", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[body.Length];
            var read = await stream.ReadAsync(buffer);
            var firstByte = clock.ElapsedMilliseconds;
            var total = read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total))) > 0)
            {
                total += read;
            }

            return (firstByte, buffer[..total]);
        }).ToList();

        var results = await Task.WhenAll(clients);
        var done = await originDone.Task;

        Assert.Equal(1, Origin.Hits("/t1/cold.m4s"));
        Assert.All(results, r => Assert.Equal(body, r.Item2));
        Assert.All(results, r => Assert.True(r.firstByte < done, $"a client's first byte came at {r.firstByte} ms, after the fill finished at {done} ms"));
    }

    [Fact]
    public async Task A_client_hanging_up_does_not_cancel_the_fill_others_are_reading()
    {
        var body = TestOrigin.Bytes(600_000, 8);
        Origin.ServeSlowly("/t1/hangup.m4s", body, 600_000, ("Cache-Control", "max-age=600"));

        using (var quitter = new RawHttp(Edge.HttpPort))
        {
            quitter.Send("GET /t1/hangup.m4s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            var buffer = new byte[1000];
            await quitter.Socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None);
        }

        var patient = await Edge.Http.GetByteArrayAsync("/t1/hangup.m4s");

        Assert.Equal(body, patient);
        Assert.Equal(1, Origin.Hits("/t1/hangup.m4s"));
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_never_cached_and_clients_see_a_broken_response()
    {
        Origin.Route("/t1/short.m4s", async c =>
        {
            c.Response.ContentLength = 100_000;
            c.Response.Headers.CacheControl = "max-age=600";
            await c.Response.Body.WriteAsync(new byte[40_000]);
            await c.Response.Body.FlushAsync();
            c.Abort(); // connection reset mid-body
        });

        await Assert.ThrowsAnyAsync<Exception>(() => Edge.Http.GetByteArrayAsync("/t1/short.m4s"));
        await Assert.ThrowsAnyAsync<Exception>(() => Edge.Http.GetByteArrayAsync("/t1/short.m4s"));

        Assert.Equal(2, Origin.Hits("/t1/short.m4s")); // nothing partial was stored
        var stats = await Edge.Admin.GetStringAsync("/admin/cache/stats");
        Assert.Contains("\"objects\":0", stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_origin_error_reaches_every_waiting_client_without_a_stampede()
    {
        Origin.Route("/t1/down.m4s", async c =>
        {
            await Task.Delay(300);
            c.Response.StatusCode = 503;
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Edge.Http.GetAsync("/t1/down.m4s")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.Equal(1, Origin.Hits("/t1/down.m4s"));
    }

    [Fact]
    public async Task An_unreachable_origin_is_a_502_and_the_edge_keeps_serving()
    {
        await using var edge = await TestEdge.StartAsync(Path.Combine(Dir.Path, "second"), [$"http://127.0.0.1:{FreePort.Tcp()}"]);

        var response = await edge.Http.GetAsync("/t1/x.m4s");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await edge.Admin.GetAsync("/healthz")).StatusCode);
    }
}
