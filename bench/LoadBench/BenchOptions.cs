using System.Globalization;

namespace LoadBench;

/// <summary>Command-line options, with errors that name the bad argument.</summary>
internal sealed class BenchOptions
{
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(10);

    public int Repeat { get; private set; } = 1;

    /// <summary>Unmeasured load per workload, protocol and server before measuring (JIT warm-up).</summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(8);

    public HashSet<string> Workloads { get; private set; } = ["hot", "zipf", "playlists", "cold", "herd"];

    public List<string> Servers { get; private set; } = ["edgenode", "originshield", "nginx", "varnish", "trafficserver"];

    public List<string> Protocols { get; private set; } = ["http", "https"];

    public string ServerCore { get; private set; } = "0";

    public string ClientCore { get; private set; } = "1";

    public string WorkDir { get; private set; } = Path.Combine(Path.GetTempPath(), "loadbench");

    public string? Output { get; private set; }

    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--duration":
                        o.Duration = TimeSpan.FromSeconds(Positive(Next(), "--duration"));
                        break;
                    case "--warmup":
                        o.Warmup = TimeSpan.FromSeconds(Positive(Next(), "--warmup"));
                        break;
                    case "--repeat":
                        o.Repeat = Positive(Next(), "--repeat");
                        break;
                    case "--workloads":
                        o.Workloads = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
                        foreach (var w in o.Workloads.Where(w => w is not ("hot" or "zipf" or "playlists" or "cold" or "herd")))
                        {
                            throw new ArgumentException($"unknown workload '{w}' (hot, zipf, playlists, cold, herd)");
                        }

                        break;
                    case "--servers":
                        o.Servers = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
                        foreach (var s in o.Servers.Where(s => s is not ("edgenode" or "originshield" or "nginx" or "varnish" or "trafficserver")))
                        {
                            throw new ArgumentException($"unknown server '{s}' (edgenode, originshield, nginx, varnish, trafficserver)");
                        }

                        break;
                    case "--protocols":
                        o.Protocols = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
                        foreach (var p in o.Protocols.Where(p => p is not ("http" or "https")))
                        {
                            throw new ArgumentException($"unknown protocol '{p}' (http, https)");
                        }

                        break;
                    case "--server-core":
                        o.ServerCore = Next();
                        break;
                    case "--client-core":
                        o.ClientCore = Next();
                        break;
                    case "--work-dir":
                        o.WorkDir = Path.GetFullPath(Next());
                        break;
                    case "--out":
                        o.Output = Path.GetFullPath(Next());
                        break;
                    case "--help" or "-h":
                        Console.WriteLine("loadbench [--duration S] [--warmup S] [--repeat N] [--servers edgenode,originshield,nginx,varnish,trafficserver] [--workloads hot,zipf,playlists,cold,herd] [--protocols http,https] [--server-core C] [--client-core C] [--work-dir DIR] [--out report.md]");
                        return null;
                    default:
                        throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }

            return o;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"loadbench: {ex.Message}");
            return null;
        }
    }

    private static int Positive(string value, string name)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer, got '{value}'");
}
