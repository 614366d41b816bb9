using System.Globalization;
using System.Text;

namespace LoadBench;

/// <summary>Markdown tables and SVG charts: medians (min–max) over repeats, each figure also as a ratio to nginx.</summary>
internal static class Report
{
    public static string Render(Suite suite, string header)
    {
        var text = new StringBuilder(header).Append("\n\n");
        text.Append("| workload | proto | server | req/s | Gbit/s | CPU µs/req | CPU s/GB | p99 ms | errors | peak RSS MB | req/s vs nginx | CPU/req vs nginx | CPU/GB vs nginx | p99 vs nginx |\n");
        text.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var group in suite.Runs.GroupBy(r => (r.Workload, r.Protocol)))
        {
            var nginx = group.Where(r => r.Server == "nginx").ToList();
            foreach (var server in group.GroupBy(r => r.Server))
            {
                var list = server.ToList();
                string Ratio(Func<Measurement, double> f)
                    => nginx.Count == 0 || server.Key == "nginx" ? "—" : F(Median(list.Select(f)) / Median(nginx.Select(f)), "0.00") + "×";
                text.Append(CultureInfo.InvariantCulture, $"| {group.Key.Workload} | {group.Key.Protocol} | {server.Key} | ")
                    .Append(Cell(list, m => m.Wrk.RequestsPerSecond, "N0")).Append(" | ")
                    .Append(Cell(list, m => m.Wrk.Gbps, "0.00")).Append(" | ")
                    .Append(Cell(list, m => m.CpuMicrosPerRequest, "0.0")).Append(" | ")
                    .Append(Cell(list, m => m.CpuSecondsPerGb, "0.000")).Append(" | ")
                    .Append(Cell(list, m => m.Wrk.P99Ms, "0.0")).Append(" | ")
                    .Append(list.Sum(m => m.Wrk.Errors).ToString(CultureInfo.InvariantCulture)).Append(" | ")
                    .Append(F(list.Max(m => m.RssBytes) / 1e6, "0")).Append(" | ")
                    .Append(Ratio(m => m.Wrk.RequestsPerSecond)).Append(" | ")
                    .Append(Ratio(m => m.CpuMicrosPerRequest)).Append(" | ")
                    .Append(Ratio(m => m.CpuSecondsPerGb)).Append(" | ")
                    .Append(Ratio(m => m.Wrk.P99Ms)).Append(" |\n");
            }
        }

        if (suite.ColdFills.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nCold-cache fill: one pass over {suite.ColdFills[0].Objects} objects of 1 MB no cache has seen (8 connections), origin unthrottled.\n\n");
            text.Append("| server | MB/s | CPU s/GB | origin fetches | MB/s vs nginx | CPU/GB vs nginx |\n|---|---|---|---|---|---|\n");
            var nginx = suite.ColdFills.Where(c => c.Server == "nginx").ToList();
            foreach (var server in suite.ColdFills.GroupBy(c => c.Server))
            {
                var list = server.ToList();
                string Ratio(Func<ColdFill, double> f) => nginx.Count == 0 || server.Key == "nginx" ? "—" : F(Median(list.Select(f)) / Median(nginx.Select(f)), "0.00") + "×";
                text.Append(CultureInfo.InvariantCulture, $"| {server.Key} | {F(Median(list.Select(c => c.MegabytesPerSecond)), "0.0")} | {F(Median(list.Select(c => c.CpuSecondsPerGb)), "0.000")} | {string.Join(", ", list.Select(c => c.OriginFetches))} | {Ratio(c => c.MegabytesPerSecond)} | {Ratio(c => c.CpuSecondsPerGb)} |\n");
            }
        }

        if (suite.Herds.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nThundering herd: 64 clients at once on one cold 7 MB segment, origin at 20 MB/s with 50 ms think time; a client fetching it straight from the origin gets its first byte after {suite.DirectOriginTtfbMs:0.0} ms.\n\n");
            text.Append("| server | origin fetches | TTFB median ms | TTFB p99 ms | TTFB p99 / origin TTFB | slowest complete ms | failures |\n|---|---|---|---|---|---|---|\n");
            foreach (var (server, h) in suite.Herds)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {server} | {h.OriginFetches} | {h.MedianFirstByteMs:0.0} | {h.P99FirstByteMs:0.0} | {h.P99FirstByteMs / suite.DirectOriginTtfbMs:0.00}× | {h.MaxCompleteMs:0} | {h.Failures} |\n");
            }
        }

        return text.ToString();
    }

    /// <summary>One SVG per figure: throughput, CPU per GB, CPU per request, p99 latency, origin fetches in the herd.</summary>
    public static List<(string File, string Svg)> Charts(Suite suite)
    {
        var groups = suite.Runs.Select(r => $"{r.Workload} {r.Protocol}").Distinct().ToList();
        var servers = suite.Runs.Select(r => r.Server).Concat(suite.Herds.Select(h => h.Server)).Distinct().ToList();
        double Value(string group, string server, Func<Measurement, double> f)
            => Median(suite.Runs.Where(r => $"{r.Workload} {r.Protocol}" == group && r.Server == server).Select(f));
        var charts = new List<(string, string)>
        {
            ("throughput.svg", LoadBench.Charts.BarChart("Throughput", "Gbit/s", groups, servers, (g, s) => Value(g, s, m => m.Wrk.Gbps))),
            ("requests.svg", LoadBench.Charts.BarChart("Requests per second", "req/s", groups, servers, (g, s) => Value(g, s, m => m.Wrk.RequestsPerSecond))),
            ("cpu-per-gb.svg", LoadBench.Charts.BarChart("Server CPU per GB served (lower is better)", "CPU s/GB", groups, servers, (g, s) => Value(g, s, m => m.CpuSecondsPerGb))),
            ("cpu-per-request.svg", LoadBench.Charts.BarChart("Server CPU per request (lower is better)", "CPU µs/req", groups, servers, (g, s) => Value(g, s, m => m.CpuMicrosPerRequest))),
            ("p99.svg", LoadBench.Charts.BarChart("p99 latency (lower is better)", "ms", groups, servers, (g, s) => Value(g, s, m => m.Wrk.P99Ms))),
        };
        if (suite.Herds.Count > 0)
        {
            charts.Add(("herd-origin-fetches.svg", LoadBench.Charts.BarChart("Thundering herd: origin fetches (1 is ideal)", "fetches", ["herd"], servers,
                (_, s) => Median(suite.Herds.Where(h => h.Server == s).Select(h => (double)h.Result.OriginFetches)))));
            charts.Add(("herd-ttfb.svg", LoadBench.Charts.BarChart("Thundering herd: waiter time to first byte, p99", "ms", ["herd"], servers,
                (_, s) => Median(suite.Herds.Where(h => h.Server == s).Select(h => h.Result.P99FirstByteMs)))));
        }

        return charts;
    }

    private static string Cell(List<Measurement> list, Func<Measurement, double> f, string format)
    {
        var values = list.Select(f).Where(v => !double.IsNaN(v)).ToList();
        if (values.Count == 0)
        {
            return "—";
        }

        var median = Median(values);
        return values.Count == 1 ? F(median, format) : $"{F(median, format)} ({F(values.Min(), format)}–{F(values.Max(), format)})";
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
