using System.Diagnostics;
using Xunit.Abstractions;

namespace OriginShield.Tests.Functional;

public sealed class HerdAcrossEdgesTests(ITestOutputHelper output)
{
    private const int SegmentBytes = 7 * 1024 * 1024;
    private const int OriginBytesPerSecond = 20 * 1024 * 1024;
    private const int ClientsPerEdge = 64;

    [Fact]
    public async Task Two_edges_times_64_clients_on_one_cold_segment_make_one_origin_fetch_and_every_client_streams_before_the_fill_ends()
    {
        using var dir = new TempDirectory("herd");
        await using var origin = await TestOrigin.StartAsync();
        var body = TestOrigin.Bytes(SegmentBytes, 11);
        var clock = Stopwatch.StartNew();
        var firstBytes = 0;
        var everyClientStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var originDoneAt = -1L;
        origin.Route("/title/1080p/seg_00042.m4s", async c =>
        {
            c.Response.ContentLength = body.Length;
            c.Response.Headers.CacheControl = "max-age=86400";
            c.Response.Headers.ETag = "\"seg42\"";
            await c.Response.StartAsync();
            var paced = Stopwatch.StartNew();
            const int Chunk = 64 * 1024;
            for (var at = 0; at < body.Length; at += Chunk)
            {
                if (at >= body.Length - (512 * 1024))
                {
                    // Hold the last 512 KiB until every client has its first byte (or 30 s pass): on a loaded machine
                    // the ordering asserted below then depends only on streaming, never on scheduling luck. A cache
                    // that made waiters wait for the whole object never releases this gate early and fails.
                    await everyClientStarted.Task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                await c.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(Chunk, body.Length - at)));
                await c.Response.Body.FlushAsync();
                var due = TimeSpan.FromSeconds((double)(at + Chunk) / OriginBytesPerSecond) - paced.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
            }

            Volatile.Write(ref originDoneAt, clock.ElapsedMilliseconds);
        });

        var shields = new List<TestShield>();
        var edges = new List<TestEdge>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                shields.Add(await TestShield.StartAsync(Path.Combine(dir.Path, $"shield{i}"), [origin.Url], new() { ["Shield:NodeName"] = $"shield-{i}" }));
            }

            for (var i = 0; i < 2; i++)
            {
                edges.Add(await TestEdge.StartAsync(Path.Combine(dir.Path, $"edge{i}"), shields.Select(s => s.Url), new()
                {
                    ["Edge:NodeName"] = $"edge-{i}",
                    ["Edge:Upstreams:Origins:0:Url"] = origin.Url,
                }, parents: true));
            }

            clock.Restart();
            var clients = edges.SelectMany(edge => Enumerable.Range(0, ClientsPerEdge).Select(_ => Task.Run(async () =>
            {
                using var response = await edge.Http.GetAsync("/title/1080p/seg_00042.m4s", HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var stream = await response.Content.ReadAsStreamAsync();
                var buffer = new byte[64 * 1024];
                long firstByteAt = -1;
                var total = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    if (firstByteAt < 0)
                    {
                        firstByteAt = clock.ElapsedMilliseconds;
                        if (Interlocked.Increment(ref firstBytes) == edges.Count * ClientsPerEdge)
                        {
                            everyClientStarted.TrySetResult();
                        }
                    }

                    Assert.True(buffer.AsSpan(0, read).SequenceEqual(body.AsSpan(total, read)), $"bytes differ at {total}");
                    total += read;
                }

                return (FirstByteAt: firstByteAt, Bytes: total, DoneAt: clock.ElapsedMilliseconds);
            }))).ToList();
            var results = await Task.WhenAll(clients);
            var done = Volatile.Read(ref originDoneAt);

            output.WriteLine($"origin fill done at {done} ms; first bytes {results.Min(r => r.FirstByteAt)}..{results.Max(r => r.FirstByteAt)} ms; " +
                $"last client done at {results.Max(r => r.DoneAt)} ms; origin fetches {origin.Hits("/title/1080p/seg_00042.m4s")}");
            Assert.Equal(1, origin.Hits("/title/1080p/seg_00042.m4s"));
            Assert.All(results, r => Assert.Equal(SegmentBytes, r.Bytes));
            Assert.True(done > 0, "the origin never finished sending");
            Assert.All(results, r => Assert.True(r.FirstByteAt < done, $"a client's first byte came at {r.FirstByteAt} ms, after the origin finished at {done} ms"));
            // The fill went through exactly one shield (rendezvous), and each edge fetched it once.
            Assert.Single(shields, s => s.Metrics.OriginRequestCount > 0);
            Assert.All(edges, e => Assert.Equal(SegmentBytes, e.Metrics.BytesFromUpstream));
        }
        finally
        {
            foreach (var edge in edges)
            {
                await edge.DisposeAsync();
            }

            foreach (var shield in shields)
            {
                await shield.DisposeAsync();
            }
        }
    }
}
