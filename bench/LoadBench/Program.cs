using System.Diagnostics;
using System.Globalization;
using Cdn.Hosting.Tls;
using LoadBench;
using LoadBench.Servers;

// loadbench — see README.md. Bounded: every wrk run lasts --duration seconds; the herd is one request per client.
var options = BenchOptions.Parse(args);
if (options is null)
{
    return 2;
}

foreach (var tool in (string[])["wrk", "nginx", "taskset"])
{
    if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Any(d => File.Exists(Path.Combine(d, tool))))
    {
        Console.Error.WriteLine($"loadbench: '{tool}' is not installed (apt-get install -y wrk nginx util-linux)");
        return 2;
    }
}

var repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
var edgenode = Path.Combine(repo, "src/EdgeNode/bin/Release/net10.0/edgenode.dll");
if (!File.Exists(edgenode))
{
    Console.Error.WriteLine($"loadbench: {edgenode} missing: run 'dotnet build EdgeNode.sln -c Release' first");
    return 2;
}

var work = options.WorkDir;
if (Directory.Exists(Path.Combine(work, "servers")))
{
    Directory.Delete(Path.Combine(work, "servers"), recursive: true);
}

Console.WriteLine($"loadbench: corpus in {work}/corpus");
var corpus = Corpus.Create(Path.Combine(work, "corpus"), titles: 2, segmentsPerRendition: 40, herdRuns: 2 * options.Repeat + 2);
var ports = Enumerable.Range(0, 8).Select(_ => FreePort()).ToArray();
await using var origin = await OriginServer.StartAsync(Path.Combine(work, "corpus") + "/", ports[0], throttleBytesPerSecond: 20_000_000);
var ca = DevCertificateAuthority.EnsureAuthority(Path.Combine(work, "tls"));
var tls = DevCertificateAuthority.IssueServerCertificate(ca, Path.Combine(work, "tls"), "server", ["localhost", "127.0.0.1"]);
var servers = new List<IServerUnderTest>
{
    new EdgeNodeServer(edgenode, Path.Combine(work, "servers/edgenode"), origin.Port, (tls.CertificatePath, tls.KeyPath), options.ServerCore, ports[1], ports[2], ports[3]),
    new NginxServer(Path.Combine(work, "servers/nginx"), origin.Port, (tls.CertificatePath, tls.KeyPath), options.ServerCore, ports[4], ports[5]),
};
const string Host = "cdn.bench";
var runs = new List<Measurement>();
var herds = new List<(string, HerdResult)>();
try
{
    foreach (var server in servers)
    {
        await server.StartAsync();
        Console.WriteLine($"loadbench: {server.Name} up (http {server.HttpPort}, https {server.HttpsPort})");
    }

    // Fill every cache with the corpus once (misses), so the workloads below measure serving hits.
    var everything = corpus.Segments.Select(s => s.Path).Concat(corpus.Playlists).Append(corpus.HotSegment).ToList();
    foreach (var server in servers)
    {
        await WarmAsync(server, everything);
    }

    var zipf = corpus.ZipfSample(0.8, 20_000, seed: 8);
    var workloads = new Dictionary<string, (List<string> Paths, int Connections)>
    {
        ["hot"] = ([corpus.HotSegment], 16),
        ["zipf0.8"] = (zipf, 64),
        ["playlists"] = (corpus.Playlists, 64),
    };
    // .NET's tiered JIT with dynamic PGO recompiles hot code during the first seconds under load (perf showed
    // 30% of edgenode's CPU in libclrjit after a 3 s warm-up); every server gets the same unmeasured warm-up
    // on every workload and protocol so the measurements are of steady state.
    foreach (var (name, (paths, connections)) in workloads.Where(w => options.Workloads.Contains(w.Key.StartsWith("zipf", StringComparison.Ordinal) ? "zipf" : w.Key)))
    {
        var script = Wrk.WriteScript(Path.Combine(work, $"{name}.lua"), paths, Host);
        foreach (var protocol in options.Protocols)
        {
            foreach (var server in servers)
            {
                var url = protocol == "https" ? $"https://127.0.0.1:{server.HttpsPort}" : $"http://127.0.0.1:{server.HttpPort}";
                await Wrk.RunAsync(options.ClientCore, url, script, connections, options.Warmup);
            }
        }
    }

    for (var repeat = 0; repeat < options.Repeat; repeat++)
    {
        foreach (var (name, (paths, connections)) in workloads.Where(w => options.Workloads.Contains(w.Key.StartsWith("zipf", StringComparison.Ordinal) ? "zipf" : w.Key)))
        {
            var script = Wrk.WriteScript(Path.Combine(work, $"{name}.lua"), paths, Host);
            foreach (var protocol in options.Protocols)
            {
                foreach (var server in servers)
                {
                    // This VM drops page-cache pages idle for about a minute: re-warm right before measuring.
                    await WarmAsync(server, paths.Distinct().ToList());
                    var pids = server.Processes();
                    var before = ProcessTree.CpuSeconds(pids);
                    var url = protocol == "https" ? $"https://127.0.0.1:{server.HttpsPort}" : $"http://127.0.0.1:{server.HttpPort}";
                    var result = await Wrk.RunAsync(options.ClientCore, url, script, connections, options.Duration);
                    var cpu = ProcessTree.CpuSeconds(server.Processes()) - before;
                    var measurement = new Measurement(name, protocol, server.Name, result, cpu, ProcessTree.RssBytes(server.Processes()));
                    runs.Add(measurement);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {name,-10} {protocol,-5} {server.Name,-9} {result.RequestsPerSecond,10:N0} req/s {result.Gbps,6:0.00} Gbit/s  {measurement.CpuMicrosPerRequest,7:0.0} µs/req {measurement.CpuSecondsPerGb,6:0.000} s/GB  errors {result.Errors}"));
                }
            }
        }
    }

    var directTtfb = double.NaN;
    if (options.Workloads.Contains("herd"))
    {
        directTtfb = await DirectFirstByteAsync(origin.Port, corpus.HerdSegment(2 * options.Repeat + 1));
        var run = 0;
        for (var repeat = 0; repeat < options.Repeat; repeat++)
        {
            foreach (var server in servers)
            {
                var result = await Herd.RunAsync($"http://127.0.0.1:{server.HttpPort}", corpus.HerdSegment(run++), 64, origin, Host);
                herds.Add((server.Name, result));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  herd       http  {server.Name,-9} origin fetches {result.OriginFetches}, TTFB median {result.MedianFirstByteMs:0.0} ms p99 {result.P99FirstByteMs:0.0} ms (origin direct {directTtfb:0.0} ms), failures {result.Failures}"));
            }
        }
    }

    var header = string.Create(CultureInfo.InvariantCulture,
        $"### loadbench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC — {Environment.ProcessorCount} cores, servers on core {options.ServerCore}, wrk on core {options.ClientCore}, {options.Duration.TotalSeconds:0} s per run, {options.Repeat} repeat(s)\n\nCorpus: {corpus.Segments.Count} segments ({corpus.Bytes / 1e6:0} MB) + {corpus.Playlists.Count} playlists; every object cached before measuring. CPU = user+system time of the server's processes from /proc.");
    var report = Report.Render(runs, herds, directTtfb, header);
    Console.WriteLine();
    Console.WriteLine(report);
    if (options.Output is { } output)
    {
        await File.WriteAllTextAsync(output, report);
        Console.WriteLine($"loadbench: report written to {output}");
    }

    return 0;
}
finally
{
    foreach (var server in servers)
    {
        await server.DisposeAsync();
    }
}

static async Task WarmAsync(IServerUnderTest server, List<string> paths)
{
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromMinutes(1) };
    http.DefaultRequestHeaders.Host = "cdn.bench";
    await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (path, ct) =>
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{server.Name} answered {(int)response.StatusCode} for {path}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(Stream.Null, ct);
    });
}

static async Task<double> DirectFirstByteAsync(int originPort, string path)
{
    using var http = new HttpClient();
    var clock = Stopwatch.StartNew();
    using var response = await http.GetAsync($"http://127.0.0.1:{originPort}{path}", HttpCompletionOption.ResponseHeadersRead);
    await using var body = await response.Content.ReadAsStreamAsync();
    var buffer = new byte[1];
    await body.ReadExactlyAsync(buffer);
    var ttfb = clock.Elapsed.TotalMilliseconds;
    await body.CopyToAsync(Stream.Null);
    return ttfb;
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
