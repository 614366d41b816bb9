using System.Diagnostics;
using System.Globalization;
using Cdn.Caching.Eviction;
using Cdn.Capacity.Simulation;
using PolicySim;

// policysim: runs the cache engine's eviction policies over request traces.
// See bench/PolicySim/README.md for the commands and the trace format.
try
{
    return Cli.Run(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"policysim: {ex.Message}");
    Console.Error.WriteLine("run 'policysim help' for usage");
    return 2;
}
catch (FormatException ex)
{
    Console.Error.WriteLine($"policysim: {ex.Message}");
    return 2;
}
catch (FileNotFoundException ex)
{
    Console.Error.WriteLine($"policysim: trace file not found: {ex.FileName}");
    return 2;
}

namespace PolicySim
{
    internal static class Cli
    {
        private const string Usage = """
            policysim — hit ratios of the cache engine's eviction policies over request traces

              policysim zipf  [--alpha A,..] [--objects N] [--requests N] [--min-mb X] [--max-mb X] [--seed N]
                              [--cache-percent P,..] [--warmup-percent P] [--policies lru,s3fifo,wtinylfu,belady]
              policysim trace FILE [--cache-gb G,..|--cache-percent P,..] [--warmup-percent P] [--policies ...]
              policysim generate --out FILE [zipf options]

            Cache sizes are a percentage of the catalog's bytes (--cache-percent) or absolute (--cache-gb).
            Trace format: one request per line, 'time key size' (see README.md).
            """;

        public static int Run(string[] args)
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            var command = args[0];
            var options = Options.Parse(args.Skip(1).ToArray(), command == "trace");
            switch (command)
            {
                case "zipf":
                    foreach (var alpha in options.Doubles("alpha", [0.8]))
                    {
                        Report(MakeZipf(options, alpha), options);
                    }

                    return 0;
                case "trace":
                    Report(RequestTrace.Read(options.Positional ?? throw new ArgumentException("trace needs a FILE")), options);
                    return 0;
                case "generate":
                    var path = options.String("out") ?? throw new ArgumentException("generate needs --out FILE");
                    var trace = MakeZipf(options, options.Doubles("alpha", [0.8])[0]);
                    using (var writer = new StreamWriter(path))
                    {
                        trace.Write(writer);
                    }

                    Console.WriteLine($"wrote {trace.Description} to {path}");
                    return 0;
                default:
                    throw new ArgumentException($"unknown command '{command}'");
            }
        }

        private static RequestTrace MakeZipf(Options o, double alpha)
            => ZipfTrace.Generate(
                alpha,
                o.Int("objects", 50_000),
                o.Int("requests", 1_000_000),
                (long)(o.Double("min-mb", 0.3) * 1_000_000),
                (long)(o.Double("max-mb", 8) * 1_000_000),
                o.Int("seed", 1));

        private static void Report(RequestTrace trace, Options o)
        {
            var policies = o.Strings("policies", ["lru", "s3fifo", "wtinylfu", "belady"]);
            var warmup = (int)(trace.Requests * o.Double("warmup-percent", 10) / 100);
            var catalog = trace.CatalogBytes;
            var sizes = o.Has("cache-gb")
                ? o.Doubles("cache-gb", []).Select(g => (long)(g * 1e9)).ToArray()
                : o.Doubles("cache-percent", [1, 5, 10, 20]).Select(p => (long)(catalog * p / 100)).ToArray();

            Console.WriteLine($"### {trace.Description}");
            Console.WriteLine();
            Console.WriteLine($"Catalog {catalog / 1e9:0.0} GB; first {warmup:N0} requests warm the cache and are not counted.");
            Console.WriteLine();
            Console.WriteLine("| cache | % of catalog | policy | object hit ratio | byte hit ratio | byte hit vs LRU | sim time |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var size in sizes)
            {
                double? lruBytes = null;
                foreach (var name in policies)
                {
                    var watch = Stopwatch.StartNew();
                    var result = name == "belady"
                        ? PolicySimulation.RunBelady(trace, size, warmup)
                        : PolicySimulation.Run(trace, CreatePolicy(name, size), warmup);
                    watch.Stop();
                    if (name == "lru")
                    {
                        lruBytes = result.ByteHitRatio;
                    }

                    var relative = lruBytes is { } l && l > 0 ? $"{((result.ByteHitRatio / l) - 1) * 100:+0.0;-0.0;0.0}%" : "—";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {size / 1e9:0.00} GB | {100.0 * size / catalog:0.#}% | {result.Policy} | {result.ObjectHitRatio:P2} | {result.ByteHitRatio:P2} | {relative} | {watch.Elapsed.TotalSeconds:0.0} s |"));
                }
            }

            Console.WriteLine();
        }

        private static IEvictionPolicy CreatePolicy(string name, long capacity) => name switch
        {
            "lru" => new LruPolicy(capacity),
            "s3fifo" => new S3FifoPolicy(capacity),
            "wtinylfu" => new WTinyLfuPolicy(capacity),
            _ => throw new ArgumentException($"unknown policy '{name}' (lru, s3fifo, wtinylfu, belady)"),
        };
    }

    /// <summary>Minimal <c>--name value</c> parsing with errors that name the bad option.</summary>
    internal sealed class Options
    {
        private static readonly HashSet<string> Known = ["alpha", "objects", "requests", "min-mb", "max-mb", "seed", "cache-percent", "cache-gb", "warmup-percent", "policies", "out"];
        private readonly Dictionary<string, string> _values = [];

        public string? Positional { get; private set; }

        public static Options Parse(string[] args, bool allowPositional)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                if (!arg.StartsWith("--", StringComparison.Ordinal))
                {
                    if (!allowPositional || options.Positional is not null)
                    {
                        throw new ArgumentException($"unexpected argument '{arg}'");
                    }

                    options.Positional = arg;
                    continue;
                }

                var name = arg[2..];
                if (!Known.Contains(name))
                {
                    throw new ArgumentException($"unknown option '{arg}'");
                }

                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"option '{arg}' needs a value");
                }

                options._values[name] = args[++i];
            }

            return options;
        }

        public bool Has(string name) => _values.ContainsKey(name);

        public string? String(string name) => _values.GetValueOrDefault(name);

        public string[] Strings(string name, string[] fallback)
            => _values.TryGetValue(name, out var v) ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : fallback;

        public double[] Doubles(string name, double[] fallback)
            => _values.ContainsKey(name) ? Strings(name, []).Select(s => ParseDouble(name, s)).ToArray() : fallback;

        public double Double(string name, double fallback) => _values.TryGetValue(name, out var v) ? ParseDouble(name, v) : fallback;

        public int Int(string name, int fallback)
        {
            if (!_values.TryGetValue(name, out var v))
            {
                return fallback;
            }

            return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"--{name} must be a positive integer, got '{v}'");
        }

        private static double ParseDouble(string name, string value)
            => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
                ? d
                : throw new ArgumentException($"--{name} must be a positive number, got '{value}'");
    }
}
