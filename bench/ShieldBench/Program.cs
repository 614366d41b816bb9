using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Cdn.Proxy.Testing;
using Cdn.Testing;

// shieldbench — see README.md. Every phase is bounded in time; all traffic stays on loopback.
var only = args.Length > 0 ? args[0] : "all";
if (only is "all" or "offload")
{
    await Offload();
}

if (only is "all" or "failover")
{
    var defaults = new Dictionary<string, object>();
    var tuned = new Dictionary<string, object>
    {
        ["ConnectTimeout"] = "00:00:00.500", ["FirstByteTimeout"] = "00:00:02", ["IdleTimeout"] = "00:00:02", ["FailuresToMarkDown"] = 1, ["DownTime"] = "00:00:30",
    };
    var probes = new Dictionary<string, object>
    {
        ["HealthCheck"] = new Dictionary<string, object> { ["Method"] = "GET", ["Interval"] = "00:00:01", ["Timeout"] = "00:00:01" },
    };
    var tunedProbes = new Dictionary<string, object>(tuned) { ["HealthCheck"] = probes["HealthCheck"] };
    foreach (var (mode, settings, label) in new[]
    {
        ("kill", defaults, "defaults"), ("hang", defaults, "defaults"), ("kill", tuned, "tuned"), ("hang", tuned, "tuned"),
        ("hang", probes, "defaults+probes"), ("hang", tunedProbes, "tuned+probes"),
    })
    {
        if (args.Length > 1 && args[1] != $"{mode}-{label}")
        {
            continue;
        }

        await Failover(mode, settings, label);
    }
}

return 0;

// Zipf-popular catalog through 2 edges and 3 shields: bytes to clients vs bytes from the origin.
static async Task Offload()
{
    using var dir = new TempDirectory("shieldbench");
    await using var origin = await TestOrigin.StartAsync();
    const int Objects = 300;
    const int Size = 128 * 1024;
    long originBytes = 0;
    var body = TestOrigin.Bytes(Size, 5);
    for (var i = 0; i < Objects; i++)
    {
        origin.Route($"/cat/{i}.m4s", async c =>
        {
            c.Response.Headers.CacheControl = "max-age=3600";
            c.Response.ContentLength = Size;
            await c.Response.Body.WriteAsync(body);
            Interlocked.Add(ref originBytes, Size);
        });
    }

    await using var chain = await CdnChain.StartAsync(dir, [origin.Url], shields: 3, edges: 2);
    var weights = Enumerable.Range(1, Objects).Select(r => 1.0 / r).ToArray();
    var cumulative = new double[Objects];
    for (double sum = 0, i = 0; i < Objects; i++)
    {
        sum += weights[(int)i];
        cumulative[(int)i] = sum;
    }

    long clientBytes = 0;
    long requests = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(chain.Edges.SelectMany((edge, e) => Enumerable.Range(0, 6).Select(c => Task.Run(async () =>
    {
        var random = new Random((e * 100) + c);
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var pick = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
            var index = pick < 0 ? ~pick : pick;
            var bytes = await edge.Client.GetByteArrayAsync($"/cat/{Math.Min(index, Objects - 1)}.m4s");
            Interlocked.Add(ref clientBytes, bytes.Length);
            Interlocked.Increment(ref requests);
        }
    }))));

    double edgeBytes = 0, shieldOriginBytes = 0, shieldClientBytes = 0;
    foreach (var edge in chain.Edges)
    {
        edgeBytes += await edge.MetricAsync("cdn_http_response_body_bytes_total");
    }

    foreach (var shield in chain.Shields)
    {
        shieldOriginBytes += await shield.MetricAsync("cdn_origin_body_bytes_total");
        shieldClientBytes += await shield.MetricAsync("cdn_http_response_body_bytes_total");
    }

    var fetches = Enumerable.Range(0, Objects).Select(i => origin.Hits($"/cat/{i}.m4s")).ToList();
    Console.WriteLine($"offload: {requests} requests, Zipf(1) over {Objects} x {Size / 1024} KiB, 2 edges x 6 clients, 10 s");
    Console.WriteLine($"  bytes to clients (edges' cdn_http_response_body_bytes_total) {edgeBytes:0} (clients counted {clientBytes})");
    Console.WriteLine($"  bytes edges got from shields (shields' cdn_http_response_body_bytes_total) {shieldClientBytes:0}");
    Console.WriteLine($"  bytes from the origin (shields' cdn_origin_body_bytes_total) {shieldOriginBytes:0} (origin counted {Interlocked.Read(ref originBytes)})");
    Console.WriteLine($"  offload clients/origin {edgeBytes / Math.Max(1, shieldOriginBytes):0.0}x; edges/origin at the shields {shieldClientBytes / Math.Max(1, shieldOriginBytes):0.00}x");
    Console.WriteLine($"  origin fetches: {fetches.Sum()} for {fetches.Count(f => f > 0)} distinct objects requested, max {fetches.Max()} per object");
}

// Clients fetch cold objects (each edge miss goes to a shield); at t=3 s one shield is killed or hung.
static async Task Failover(string mode, Dictionary<string, object> edgeUpstreams, string label)
{
    using var dir = new TempDirectory("shieldbench");
    await using var origin = await TestOrigin.StartAsync();
    var body = TestOrigin.Bytes(64 * 1024, 3);
    origin.RouteAll(async c =>
    {
        c.Response.Headers.CacheControl = "max-age=3600";
        c.Response.Headers.ETag = "\"v1\""; // a validator, as real origins send: what lets a broken transfer resume
        c.Response.ContentLength = body.Length;
        await c.Response.Body.WriteAsync(body);
    });
    await using var chain = await CdnChain.StartAsync(dir, [origin.Url], shields: 3, edges: 2, edgeUpstreams: edgeUpstreams,
        probeShields: label.EndsWith("+probes", StringComparison.Ordinal));
    var victim = chain.Shields[1];
    var results = new ConcurrentQueue<(double Start, double End, bool Ok)>();
    var errors = new ConcurrentQueue<string>();
    var clock = Stopwatch.StartNew();
    var eventAt = TimeSpan.FromSeconds(3);
    var runFor = mode == "hang" ? TimeSpan.FromSeconds(28) : TimeSpan.FromSeconds(10);
    var clients = chain.Edges.SelectMany((edge, e) => Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
    {
        var seq = 0;
        while (clock.Elapsed < runFor)
        {
            var start = clock.Elapsed.TotalMilliseconds;
            var ok = false;
            try
            {
                // Every path is new: a miss at the edge, filled through the shield rendezvous picks.
                using var response = await edge.Client.GetAsync($"/cold/{e}-{c}-{seq++}.m4s");
                ok = response.IsSuccessStatusCode && (await response.Content.ReadAsByteArrayAsync()).Length == body.Length;
                if (!ok)
                {
                    errors.Enqueue($"{(int)response.StatusCode} {response.Headers.GetValues("X-Cache").FirstOrDefault()}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                errors.Enqueue($"{(clock.Elapsed.TotalMilliseconds - start) / 1000:0.0} s after sending: {ex.GetType().Name}: {ex.Message} {ex.InnerException?.Message}");
            }

            results.Enqueue((start, clock.Elapsed.TotalMilliseconds, ok));
        }
    }))).ToList();

    await Task.Delay(eventAt);
    var at = clock.Elapsed.TotalMilliseconds;
    if (mode == "kill")
    {
        victim.Process.Kill();
    }
    else
    {
        using var stop = Process.Start("kill", ["-STOP", victim.Process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await stop.WaitForExitAsync();
    }

    await Task.WhenAll(clients);
    if (mode == "hang")
    {
        using var cont = Process.Start("kill", ["-CONT", victim.Process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await cont.WaitForExitAsync();
    }

    foreach (var node in chain.Edges.Concat(chain.Shields).Where(n => n != victim && n.Process.HasExited))
    {
        Console.WriteLine($"  {node.Name} exited with {node.Process.ExitCode}; its log ends:");
        foreach (var line in File.ReadLines(dir.Combine(node.Name + ".log")).TakeLast(30))
        {
            Console.WriteLine("    " + line);
        }
    }

    var all = results.ToList();
    var before = all.Where(r => r.End < at).Select(r => r.End - r.Start).Order().ToList();
    var p50 = before.Count > 0 ? before[before.Count / 2] : 0;
    var threshold = Math.Max(250, 10 * p50);
    var disturbed = all.Where(r => r.End > at && (!r.Ok || r.End - r.Start > threshold)).ToList();
    var window = disturbed.Count == 0 ? 0 : disturbed.Max(r => r.End) - at;
    var edgeTimeouts = 0.0;
    foreach (var edge in chain.Edges)
    {
        edgeTimeouts += await edge.MetricAsync("cdn_upstream_timeouts_total");
    }

    Console.WriteLine($"failover ({mode} a shield, edge upstream settings: {label} {string.Join(", ", edgeUpstreams.Where(p => p.Value is not Dictionary<string, object>).Select(p => $"{p.Key}={p.Value}"))}" +
        (label.EndsWith("+probes", StringComparison.Ordinal) ? " + probes of each shield's /readyz every 1 s (timeout 1 s, 2 failures):" : "):"));
    Console.WriteLine($"  {all.Count} requests; p50 before {p50:0.0} ms; after the event: {all.Count(r => r.Start > at)} requests, " +
        $"{all.Count(r => r.End > at && !r.Ok)} errors, {disturbed.Count} slower than {threshold:0} ms or failed, max {all.Where(r => r.End > at).Max(r => r.End - r.Start):0} ms");
    // Stalls of a second or more are what a dead or wedged shield costs; shorter slow requests are mostly other load on the machine.
    var stalls = all.Where(r => r.End > at && r.End - r.Start >= 1000).OrderBy(r => r.Start).ToList();
    Console.WriteLine($"  stalls >= 1 s: {stalls.Count}: " + string.Join(", ", stalls.Select(r =>
        $"{((r.End - r.Start) / 1000).ToString("0.0", CultureInfo.InvariantCulture)} s from {((r.Start - at) / 1000).ToString("0.0", CultureInfo.InvariantCulture)} s")));
    foreach (var error in errors.Take(5))
    {
        Console.WriteLine($"  error: {error}");
    }

    if (!errors.IsEmpty)
    {
        foreach (var edge in chain.Edges)
        {
            foreach (var line in File.ReadLines(dir.Combine(edge.Name + ".log")).Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase)
                || l.Contains("resume", StringComparison.OrdinalIgnoreCase) || l.Contains("abort", StringComparison.OrdinalIgnoreCase)).Take(8))
            {
                Console.WriteLine($"  {edge.Name}: {line}");
            }
        }
    }

    Console.WriteLine($"  disturbed until {window / 1000:0.00} s after the event; " +
        $"slow requests started at (s after event): {string.Join(" ", disturbed.Select(r => ((r.Start - at) / 1000).ToString("0.0", CultureInfo.InvariantCulture)).Distinct().Take(20))}; edge upstream timeouts {edgeTimeouts}");
}
