using System.Globalization;
using Cdn.Hosting.Tls;
using LoadBench;
using LoadBench.Servers;

// loadbench — see README.md. Bounded: every wrk run lasts --duration seconds (the cold pass at most 120 s);
// the herd is one request per client.
var options = BenchOptions.Parse(args);
if (options is null)
{
    return 2;
}

var needed = new List<string> { "wrk", "taskset" };
needed.AddRange(options.Servers.Select(s => s switch { "nginx" => "nginx", "varnish" => "varnishd", "trafficserver" => "traffic_server", _ => "" }).Where(t => t.Length > 0));
if (options.Servers.Contains("varnish"))
{
    needed.Add("hitch");
}

foreach (var tool in needed)
{
    if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Any(d => File.Exists(Path.Combine(d, tool))))
    {
        Console.Error.WriteLine($"loadbench: '{tool}' is not installed (apt-get install -y wrk nginx varnish hitch trafficserver)");
        return 2;
    }
}

var repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
string Daemon(string project, string assembly) => Path.Combine(repo, $"src/{project}/bin/Release/net10.0/{assembly}.dll");
foreach (var (name, project, assembly) in ((string, string, string)[])[("edgenode", "EdgeNode", "edgenode"), ("originshield", "OriginShield", "originshield")])
{
    if (options.Servers.Contains(name) && !File.Exists(Daemon(project, assembly)))
    {
        Console.Error.WriteLine($"loadbench: {Daemon(project, assembly)} missing: run 'dotnet build EdgeNode.sln -c Release' first");
        return 2;
    }
}

var work = options.WorkDir;
if (Directory.Exists(Path.Combine(work, "servers")))
{
    Directory.Delete(Path.Combine(work, "servers"), recursive: true);
}

Console.WriteLine($"loadbench: corpus in {work}/corpus");
var corpus = Corpus.Create(Path.Combine(work, "corpus"), titles: 2, segmentsPerRendition: 40,
    herdRuns: (options.Servers.Count * options.Repeat) + 1, coldSets: options.Workloads.Contains("cold") ? options.Servers.Count * options.Repeat : 0);
int Port()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

await using var origin = await OriginServer.StartAsync(Path.Combine(work, "corpus") + "/", Port(), throttleBytesPerSecond: 20_000_000);
var ca = DevCertificateAuthority.EnsureAuthority(Path.Combine(work, "tls"));
var tls = DevCertificateAuthority.IssueServerCertificate(ca, Path.Combine(work, "tls"), "server", ["localhost", "127.0.0.1"]);
var pair = (tls.CertificatePath, tls.KeyPath);
var servers = new List<IServerUnderTest>();
foreach (var name in options.Servers)
{
    var dir = Path.Combine(work, "servers", name);
    servers.Add(name switch
    {
        "edgenode" => new CacheNodeServer("edgenode", "Edge", Daemon("EdgeNode", "edgenode"), dir, origin.Port, pair, options.ServerCore, Port(), Port(), Port()),
        "originshield" => new CacheNodeServer("originshield", "Shield", Daemon("OriginShield", "originshield"), dir, origin.Port, pair, options.ServerCore, Port(), Port(), Port()),
        "nginx" => new NginxServer(dir, origin.Port, pair, options.ServerCore, Port(), Port()),
        "varnish" => new VarnishServer(dir, origin.Port, pair, options.ServerCore, Port(), Port()),
        _ => new TrafficServer(dir, origin.Port, pair, options.ServerCore, Port(), Port()),
    });
}

try
{
    foreach (var server in servers)
    {
        await server.StartAsync();
        Console.WriteLine($"loadbench: {server.Name} up (http {server.HttpPort}, https {server.HttpsPort})");
    }

    var suite = new Suite(options, corpus, origin, servers);
    await suite.RunAsync();
    var header = string.Create(CultureInfo.InvariantCulture,
        $"### loadbench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC — {Environment.ProcessorCount} cores, servers on core {options.ServerCore}, wrk on core {options.ClientCore}, {options.Duration.TotalSeconds:0} s per run after {options.Warmup.TotalSeconds:0} s warm-up, {options.Repeat} repeat(s)\n\nCorpus: {corpus.Segments.Count} segments ({corpus.Bytes / 1e6:0} MB) + {corpus.Playlists.Count} playlists; every object cached before measuring. CPU = user+system time of the server's processes from /proc; RSS = their peak resident memory during the run.");
    var report = Report.Render(suite, header);
    Console.WriteLine();
    Console.WriteLine(report);
    if (options.Output is { } output)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report);
        var charts = Report.Charts(suite);
        var chartDir = Path.Combine(Path.GetDirectoryName(output)!, "charts");
        Directory.CreateDirectory(chartDir);
        foreach (var (file, svg) in charts)
        {
            await File.WriteAllTextAsync(Path.Combine(chartDir, file), svg);
        }

        Console.WriteLine($"loadbench: report written to {output}, {charts.Count} charts in {chartDir}");
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
