using System.Globalization;

namespace LocalCdn.Report;

/// <summary>
/// The series of one Prometheus text exposition (<c>/metrics</c>), read once: sums by metric name and label
/// values, and differences between two scrapes (what happened during a run).
/// </summary>
public sealed class MetricsSnapshot
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series;

    private MetricsSnapshot(List<(string Name, Dictionary<string, string> Labels, double Value)> series)
    {
        _series = series;
    }

    /// <summary>No series at all (a node that was not scraped).</summary>
    public static MetricsSnapshot Empty { get; } = new([]);

    /// <summary>How many series were read.</summary>
    public int Count => _series.Count;

    /// <summary>Parses the text format: <c>name{label="value",…} number [timestamp]</c>; comments and blank lines skipped.</summary>
    public static MetricsSnapshot Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var series = new List<(string, Dictionary<string, string>, double)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (brace >= 0 && (space < 0 || brace < space))
            {
                name = line[..brace];
                var close = ParseLabels(line, brace + 1, labels);
                rest = line[(close + 1)..].Trim();
            }
            else if (space > 0)
            {
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }
            else
            {
                throw new FormatException($"no value in metrics line '{line}'");
            }

            var valueText = rest.Split(' ', 2)[0];
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            series.Add((name, labels, value));
        }

        return new MetricsSnapshot(series);
    }

    /// <summary>Sum of every series of <paramref name="name"/> whose labels include all of <paramref name="labels"/> (<c>("cache", "HIT")</c>).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        double sum = 0;
        foreach (var (seriesName, seriesLabels, value) in _series)
        {
            if (seriesName == name && labels.All(l => seriesLabels.TryGetValue(l.Label, out var v) && v == l.Value))
            {
                sum += value;
            }
        }

        return sum;
    }

    /// <summary>Sums of <paramref name="name"/> grouped by the value of <paramref name="label"/>.</summary>
    public IReadOnlyDictionary<string, double> SumBy(string name, string label)
    {
        var sums = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (seriesName, seriesLabels, value) in _series)
        {
            if (seriesName == name)
            {
                var key = seriesLabels.TryGetValue(label, out var v) ? v : "";
                sums[key] = sums.GetValueOrDefault(key) + value;
            }
        }

        return sums;
    }

    private static int ParseLabels(string line, int i, Dictionary<string, string> labels)
    {
        while (i < line.Length)
        {
            while (i < line.Length && (line[i] == ',' || line[i] == ' '))
            {
                i++;
            }

            if (i < line.Length && line[i] == '}')
            {
                return i;
            }

            var eq = line.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
            {
                throw new FormatException($"bad label in metrics line '{line}'");
            }

            var key = line[i..eq].Trim();
            var value = new System.Text.StringBuilder();
            i = eq + 2;
            while (i < line.Length && line[i] != '"')
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }

                i++;
            }

            if (i >= line.Length)
            {
                throw new FormatException($"unterminated label value in metrics line '{line}'");
            }

            labels[key] = value.ToString();
            i++;
        }

        throw new FormatException($"unterminated labels in metrics line '{line}'");
    }
}
