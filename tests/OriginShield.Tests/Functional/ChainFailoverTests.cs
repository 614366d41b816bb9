using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace OriginShield.Tests.Functional;

/// <summary>
/// 2 edges, 3 shields, 2 origins, as real processes. Under load, one shield is killed (SIGKILL) and the primary
/// origin stops: cached and fillable objects keep being served without an error, objects only the dead origin
/// had are served stale where their stale-if-error allows and fail cleanly where it does not, and the origins
/// see one fetch per object.
/// </summary>
public sealed class ChainFailoverTests(ITestOutputHelper output)
{
    private const int ObjectBytes = 100_000;

    private sealed record Outcome(string Path, int Status, bool BodyOk, string Cache, bool AfterKill, double Milliseconds);

    [Fact]
    public async Task Killing_a_shield_and_stopping_an_origin_under_load_costs_no_client_an_error_and_each_object_one_origin_fetch()
    {
        using var dir = new TempDirectory("chain");
        var primary = await TestOrigin.StartAsync();
        await using var mirror = await TestOrigin.StartAsync();
        // C: cached before the failures; F: first asked after them; both on both origins.
        // S: only on the primary, may be served stale for 10 minutes; N: only on the primary, no stale allowed.
        var cached = Enumerable.Range(0, 16).Select(i => $"/v/c/{i}.m4s").ToList();
        var fillable = Enumerable.Range(0, 16).Select(i => $"/v/f/{i}.m4s").ToList();
        var staleOk = Enumerable.Range(0, 4).Select(i => $"/v/s/{i}.m4s").ToList();
        var noStale = Enumerable.Range(0, 2).Select(i => $"/v/n/{i}.m4s").ToList();
        var bodies = cached.Concat(fillable).Concat(staleOk).Concat(noStale).ToDictionary(p => p, p => TestOrigin.Bytes(ObjectBytes, p.GetHashCode(StringComparison.Ordinal)));
        foreach (var origin in new[] { primary, mirror })
        {
            origin.Route("/health", _ => Task.CompletedTask);
            foreach (var path in cached.Concat(fillable))
            {
                origin.Serve(path, bodies[path], ("Cache-Control", "max-age=600"));
            }
        }

        foreach (var path in staleOk)
        {
            primary.Serve(path, bodies[path], ("Cache-Control", "max-age=1, stale-if-error=600"));
        }

        foreach (var path in noStale)
        {
            primary.Serve(path, bodies[path], ("Cache-Control", "max-age=1"));
        }

        foreach (var path in staleOk.Concat(noStale))
        {
            mirror.Route(path, c =>
            {
                c.Response.StatusCode = 503; // the mirror has not got it
                return Task.CompletedTask;
            });
        }

        await using var chain = await CdnChain.StartAsync(dir, [primary.Url, mirror.Url], shields: 3, edges: 2,
            shieldUpstreams: new()
            {
                ["HealthCheck"] = new Dictionary<string, object> { ["Path"] = "/health", ["Method"] = "GET", ["Interval"] = "00:00:00.500", ["Timeout"] = "00:00:00.500" },
            },
            edgeUpstreams: new());

        // Warm: every C, S and N object through both edges.
        foreach (var edge in chain.Edges)
        {
            foreach (var path in cached.Concat(staleOk).Concat(noStale))
            {
                Assert.Equal(bodies[path], await edge.Client.GetByteArrayAsync(path));
            }
        }

        // Load: 3 clients per edge for about 4 s; the failures strike at about 1.5 s.
        var outcomes = new ConcurrentQueue<Outcome>();
        var killed = 0;
        var clock = Stopwatch.StartNew();
        var victim = chain.Shields[1];
        var clients = chain.Edges.SelectMany((edge, e) => Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
        {
            var random = new Random((e * 10) + c);
            var i = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(4))
            {
                var afterKill = Volatile.Read(ref killed) == 1;
                var pool = afterKill ? cached.Concat(staleOk).Concat(fillable).ToList() : cached.Concat(staleOk).ToList();
                var path = afterKill && i++ % 2 == 0 ? fillable[random.Next(fillable.Count)] : pool[random.Next(pool.Count)];
                var started = clock.Elapsed;
                try
                {
                    using var response = await edge.Client.GetAsync(path);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    outcomes.Enqueue(new Outcome(path, (int)response.StatusCode, body.AsSpan().SequenceEqual(bodies[path]),
                        response.Headers.TryGetValues("X-Cache", out var x) ? x.First() : "", afterKill, (clock.Elapsed - started).TotalMilliseconds));
                }
                catch (HttpRequestException ex)
                {
                    outcomes.Enqueue(new Outcome(path, 0, false, ex.Message, afterKill, (clock.Elapsed - started).TotalMilliseconds));
                }
            }
        }))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var victimOriginBytes = await victim.MetricAsync("cdn_origin_body_bytes_total");
        victim.Process.Kill(); // SIGKILL: no drain, connections reset
        await primary.DisposeAsync(); // the primary origin stops: connections refused from now on
        Volatile.Write(ref killed, 1);
        await Task.WhenAll(clients);

        // Objects only the dead origin had, beyond their freshness: stale where allowed, a clean error where not.
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // N and S are past max-age=1 everywhere
        var staleAfter = new List<(string Path, int Status, bool BodyOk, string Cache)>();
        var noStaleAfter = new List<(string Path, int Status)>();
        foreach (var edge in chain.Edges)
        {
            foreach (var path in staleOk)
            {
                using var response = await edge.Client.GetAsync(path);
                staleAfter.Add((path, (int)response.StatusCode, (await response.Content.ReadAsByteArrayAsync()).AsSpan().SequenceEqual(bodies[path]),
                    response.Headers.GetValues("X-Cache").First()));
            }

            foreach (var path in noStale)
            {
                using var response = await edge.Client.GetAsync(path);
                noStaleAfter.Add((path, (int)response.StatusCode));
            }
        }

        var all = outcomes.ToList();
        var bad = all.Where(o => o.Status != 200 || !o.BodyOk).ToList();
        // A fetch is an unconditional GET to an origin that has the object (the mirror's 503s for S and N are failed attempts, not fetches).
        var onlyPrimary = staleOk.Concat(noStale).ToHashSet();
        var fetches = bodies.Keys.ToDictionary(p => p, p => FullFetches(primary, p) + (onlyPrimary.Contains(p) ? 0 : FullFetches(mirror, p)));
        var clientBytes = 0.0;
        var originBytes = victimOriginBytes;
        foreach (var edge in chain.Edges)
        {
            clientBytes += await edge.MetricAsync("cdn_http_response_body_bytes_total");
            originBytes += await edge.MetricAsync("cdn_origin_body_bytes_total");
        }

        foreach (var shield in chain.Shields.Where(s => s != victim))
        {
            originBytes += await shield.MetricAsync("cdn_origin_body_bytes_total");
        }

        output.WriteLine($"{all.Count} requests ({all.Count(o => o.AfterKill)} after the failures), {bad.Count} bad; " +
            $"slowest after the failures {all.Where(o => o.AfterKill).Select(o => o.Milliseconds).DefaultIfEmpty().Max():0} ms; " +
            $"client bytes {clientBytes:0}, origin bytes {originBytes:0}, offload {clientBytes / Math.Max(1, originBytes):0.0}x; " +
            $"origin fetches {fetches.Values.Sum()} for {fetches.Count(f => f.Value > 0)} objects");
        output.WriteLine($"requests to the mirror for objects it lacks (answered 503): {onlyPrimary.Sum(mirror.Hits)}");
        foreach (var edge in chain.Edges)
        {
            // A timeout or error on the way to a live shield sends an object to the next one: a second fetch. Show why.
            output.WriteLine($"{edge.Name}: upstream timeouts {await edge.MetricAsync("cdn_upstream_timeouts_total")}, " +
                $"errors {await edge.MetricAsync("cdn_upstream_requests_total", "outcome=\"error\"")}, 5xx {await edge.MetricAsync("cdn_upstream_requests_total", "outcome=\"5")}");
        }

        foreach (var (path, n) in fetches.Where(f => f.Value != 1))
        {
            output.WriteLine($"fetches of {path}: {n}: " + string.Join(" | ", primary.Requests(path).Concat(mirror.Requests(path)).Select(h => $"{h["Via"]} inm={h.IfNoneMatch}")));
        }

        foreach (var o in bad.Take(10))
        {
            output.WriteLine($"bad: {o.Path} {o.Status} {o.Cache} after-kill={o.AfterKill}");
        }

        Assert.Empty(bad);
        Assert.Contains(all, o => o.AfterKill && fillable.Contains(o.Path));
        // Stale from the edge's own copy (STALEERROR), or from the shield's, which answers the edge's revalidation with 304 (REVALIDATED).
        Assert.All(staleAfter, s => Assert.True(s.Status == 200 && s.BodyOk && (s.Cache.StartsWith("STALEERROR", StringComparison.Ordinal) || s.Cache.StartsWith("REVALIDATED", StringComparison.Ordinal)),
            $"{s.Path}: {s.Status} {s.Cache}"));
        Assert.All(noStaleAfter, n => Assert.True(n.Status is 502 or 503 or 504, $"{n.Path}: {n.Status}"));
        Assert.All(cached.Concat(staleOk).Concat(noStale), p => Assert.Equal(1, fetches[p])); // one fetch for the whole CDN
        Assert.All(fillable.Where(p => all.Any(o => o.Path == p)), p => Assert.Equal(1, fetches[p]));
        foreach (var shield in chain.Shields.Where(s => s != victim))
        {
            Assert.Equal(HttpStatusCode.OK, (await shield.Admin.GetAsync("/healthz")).StatusCode);
            Assert.Equal(1, await shield.MetricAsync("cdn_upstream_health", $"state=\"down\",upstream=\"{primary.BaseAddress.Authority}\""));
        }
    }

    /// <summary>Unconditional GETs: fetches of the object (revalidations carry If-None-Match).</summary>
    private static int FullFetches(TestOrigin origin, string path) => origin.Requests(path).Count(h => h.IfNoneMatch.Count == 0);

    [Fact]
    public async Task A_shield_killed_in_the_middle_of_a_transfer_costs_the_client_a_pause_not_an_error()
    {
        using var dir = new TempDirectory("chainkill");
        await using var origin = await TestOrigin.StartAsync();
        var body = TestOrigin.Bytes(4_000_000, 31);
        origin.ServeSlowly("/v/big.m4s", body, 2_000_000, ("Cache-Control", "max-age=600"), ("ETag", "\"big-1\""));
        await using var chain = await CdnChain.StartAsync(dir, [origin.Url], shields: 2, edges: 1);
        var edge = chain.Edges[0];

        using var response = await edge.Client.GetAsync("/v/big.m4s", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (received.Length < 500_000)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.True(n > 0, "the body ended early");
            received.Write(buffer, 0, n);
        }

        var owner = chain.Shields.Single(s => origin.Requests("/v/big.m4s").Any(h => h["Via"].ToString().Contains(s.Name, StringComparison.Ordinal)));
        owner.Process.Kill(); // mid-transfer
        await stream.CopyToAsync(received);

        Assert.Equal(body, received.ToArray());
        Assert.Equal(1, await edge.MetricAsync("cdn_upstream_resumes_total", "outcome=\"resumed\""));
        Assert.Equal(2, origin.Hits("/v/big.m4s")); // the dead shield's fill, and the other shield's
        Assert.Equal(body, await edge.Client.GetByteArrayAsync("/v/big.m4s")); // stored whole at the edge
        Assert.Equal(2, origin.Hits("/v/big.m4s"));
    }
}
