using System.Globalization;
using LoadBench.Servers;

namespace LoadBench;

/// <summary>The load suite: warm, then measure every workload on every server, side by side.</summary>
internal sealed class Suite
{
    public const string Host = "cdn.bench";

    private readonly BenchOptions _options;
    private readonly Corpus _corpus;
    private readonly OriginServer _origin;
    private readonly List<IServerUnderTest> _servers;

    public Suite(BenchOptions options, Corpus corpus, OriginServer origin, List<IServerUnderTest> servers)
    {
        _options = options;
        _corpus = corpus;
        _origin = origin;
        _servers = servers;
    }

    public List<Measurement> Runs { get; } = [];

    public List<(string Server, HerdResult Result)> Herds { get; } = [];

    public List<ColdFill> ColdFills { get; } = [];

    public double DirectOriginTtfbMs { get; private set; } = double.NaN;

    private Dictionary<string, (List<string> Paths, int Connections)> SteadyWorkloads() => new()
    {
        ["hot"] = ([_corpus.HotSegment], 16),
        ["zipf0.8"] = (_corpus.ZipfSample(0.8, 20_000, seed: 8), 64),
        ["zipf1.0"] = (_corpus.ZipfSample(1.0, 20_000, seed: 9), 64),
        ["playlists"] = (_corpus.Playlists, 64),
    };

    private bool Selected(string workload) => _options.Workloads.Contains(workload.StartsWith("zipf", StringComparison.Ordinal) ? "zipf" : workload);

    public async Task RunAsync()
    {
        var work = _options.WorkDir;
        var everything = _corpus.Segments.Select(s => s.Path).Concat(_corpus.Playlists).Append(_corpus.HotSegment).ToList();
        foreach (var server in _servers)
        {
            await WarmAsync(server, everything);
        }

        var steady = SteadyWorkloads().Where(w => Selected(w.Key)).ToList();

        // .NET's tiered JIT with dynamic PGO recompiles hot code during the first seconds under load (perf showed
        // 30% of edgenode's CPU in libclrjit after a 3 s warm-up); every server gets the same unmeasured warm-up
        // on every workload and protocol so the measurements are of steady state.
        foreach (var (name, (paths, connections)) in steady)
        {
            var script = Wrk.WriteScript(Path.Combine(work, $"{name}.lua"), paths, Host);
            foreach (var protocol in _options.Protocols)
            {
                foreach (var server in _servers)
                {
                    await Wrk.RunAsync(_options.ClientCore, Url(server, protocol), script, connections, _options.Warmup);
                }
            }
        }

        var coldSet = 0;
        for (var repeat = 0; repeat < _options.Repeat; repeat++)
        {
            foreach (var (name, (paths, connections)) in steady)
            {
                var script = Path.Combine(work, $"{name}.lua");
                foreach (var protocol in _options.Protocols)
                {
                    foreach (var server in _servers)
                    {
                        // This VM drops page-cache pages idle for about a minute: re-warm right before measuring.
                        await WarmAsync(server, paths.Distinct().ToList());
                        Runs.Add(await MeasureAsync(server, name, protocol, script, connections, _options.Duration));
                    }
                }
            }

            if (Selected("cold"))
            {
                foreach (var server in _servers)
                {
                    ColdFills.Add(await ColdFillAsync(server, coldSet++));
                }
            }
        }

        if (Selected("herd"))
        {
            DirectOriginTtfbMs = await DirectFirstByteAsync(_corpus.HerdSegment(_corpus.HerdRuns - 1));
            var run = 0;
            for (var repeat = 0; repeat < _options.Repeat; repeat++)
            {
                foreach (var server in _servers)
                {
                    var result = await Herd.RunAsync($"http://127.0.0.1:{server.HttpPort}", _corpus.HerdSegment(run++), 64, _origin, Host);
                    Herds.Add((server.Name, result));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  herd         http  {server.Name,-14} origin fetches {result.OriginFetches}, TTFB median {result.MedianFirstByteMs:0.0} ms p99 {result.P99FirstByteMs:0.0} ms (origin direct {DirectOriginTtfbMs:0.0} ms), failures {result.Failures}"));
                }
            }
        }
    }

    private async Task<Measurement> MeasureAsync(IServerUnderTest server, string workload, string protocol, string script, int connections, TimeSpan duration)
    {
        var pids = server.Processes();
        var before = ProcessTree.CpuSeconds(pids);
        using var rss = new RssSampler(pids);
        var result = await Wrk.RunAsync(_options.ClientCore, Url(server, protocol), script, connections, duration);
        var cpu = ProcessTree.CpuSeconds(server.Processes()) - before;
        var measurement = new Measurement(workload, protocol, server.Name, result, cpu, rss.Max);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {workload,-12} {protocol,-5} {server.Name,-14} {result.RequestsPerSecond,10:N0} req/s {result.Gbps,6:0.00} Gbit/s  {measurement.CpuMicrosPerRequest,7:0.0} µs/req {measurement.CpuSecondsPerGb,6:0.000} s/GB  p99 {result.P99Ms,6:0.0} ms  errors {result.Errors}"));
        return measurement;
    }

    /// <summary>
    /// One pass over objects no cache has seen, 8 requests in flight: every request a miss filled from the
    /// (unthrottled) origin. Our own client, so each object is asked exactly once and the clock stops at the last byte.
    /// </summary>
    private async Task<ColdFill> ColdFillAsync(IServerUnderTest server, int set)
    {
        var paths = _corpus.ColdSet(set);
        var pids = server.Processes();
        var before = ProcessTree.CpuSeconds(pids);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Host = Host;
        long bytes = 0;
        await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (path, ct) =>
        {
            var body = await http.GetByteArrayAsync(path, ct);
            Interlocked.Add(ref bytes, body.Length);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcessTree.CpuSeconds(server.Processes()) - before;
        var fetches = paths.Sum(_origin.Fetches);
        var fill = new ColdFill(server.Name, paths.Count, fetches, seconds, bytes, cpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  cold fill    http  {server.Name,-14} {fill.MegabytesPerSecond,7:0.0} MB/s  {fill.CpuSecondsPerGb,6:0.000} s/GB  origin fetches {fetches} for {paths.Count} objects"));
        return fill;
    }

    public static string Url(IServerUnderTest server, string protocol)
        => protocol == "https" ? $"https://127.0.0.1:{server.HttpsPort}" : $"http://127.0.0.1:{server.HttpPort}";

    public static async Task WarmAsync(IServerUnderTest server, List<string> paths)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Host = Host;
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

    private async Task<double> DirectFirstByteAsync(string path)
    {
        using var http = new HttpClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.GetAsync($"http://127.0.0.1:{_origin.Port}{path}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1];
        await body.ReadExactlyAsync(buffer);
        var ttfb = clock.Elapsed.TotalMilliseconds;
        await body.CopyToAsync(Stream.Null);
        return ttfb;
    }
}

/// <summary>A cold-cache fill pass.</summary>
internal sealed record ColdFill(string Server, int Objects, int OriginFetches, double Seconds, long Bytes, double CpuSeconds)
{
    public double MegabytesPerSecond => Bytes / 1e6 / Seconds;

    public double CpuSecondsPerGb => CpuSeconds / (Bytes / 1e9);
}

/// <summary>Samples the servers' resident memory every 250 ms while alive; keeps the maximum.</summary>
internal sealed class RssSampler : IDisposable
{
    private readonly Timer _timer;
    private long _max;

    public RssSampler(IReadOnlyList<int> pids)
    {
        _timer = new Timer(_ => Sample(pids), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    public long Max => Interlocked.Read(ref _max);

    private void Sample(IReadOnlyList<int> pids)
    {
        var rss = ProcessTree.RssBytes(pids);
        long current;
        while (rss > (current = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, rss, current) != current)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
