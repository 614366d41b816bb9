using System.Globalization;
using System.Text;

namespace LoadBench;

/// <summary>Markdown tables: medians (min–max) over repeats, each figure also as a ratio to nginx.</summary>
internal static class Report
{
    public static string Render(List<Measurement> runs, List<(string Server, HerdResult Result)> herds, double directOriginTtfbMs, string header)
    {
        var text = new StringBuilder(header).Append("\n\n");
        text.Append("| workload | proto | server | req/s | Gbit/s | CPU µs/req | CPU s/GB | p99 ms | errors | RSS MB | CPU/req vs nginx | CPU/GB vs nginx |\n");
        text.Append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var group in runs.GroupBy(r => (r.Workload, r.Protocol)))
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
                    .Append(Ratio(m => m.CpuMicrosPerRequest)).Append(" | ")
                    .Append(Ratio(m => m.CpuSecondsPerGb)).Append(" |\n");
            }
        }

        if (herds.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nThundering herd: one cold 7 MB segment, origin at 20 MB/s with 50 ms think time; a client fetching it straight from the origin gets its first byte after {directOriginTtfbMs:0.0} ms.\n\n");
            text.Append("| server | clients | origin fetches | TTFB median ms | TTFB p99 ms | TTFB p99 / origin TTFB | slowest complete ms | failures |\n|---|---|---|---|---|---|---|---|\n");
            foreach (var (server, h) in herds)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {server} | {h.Clients} | {h.OriginFetches} | {h.MedianFirstByteMs:0.0} | {h.P99FirstByteMs:0.0} | {h.P99FirstByteMs / directOriginTtfbMs:0.00}× | {h.MaxCompleteMs:0} | {h.Failures} |\n");
            }
        }

        return text.ToString();
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

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
