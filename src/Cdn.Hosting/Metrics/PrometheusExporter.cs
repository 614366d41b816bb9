using System.Buffers;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Cdn.Hosting.Metrics;

/// <summary>
/// Aggregates measurements of the selected <see cref="Meter"/>s and writes them in the Prometheus text
/// exposition format (version 0.0.4). prometheus-net is not restorable here; this listens to
/// System.Diagnostics.Metrics directly. Instrument names are expected to be Prometheus names already
/// (<c>edgenode_http_requests_total</c>); counters lacking <c>_total</c> get it appended.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The content type of <see cref="WriteTo"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener;
    private readonly Func<Meter, bool> _include;
    private readonly List<InstrumentState> _instruments = [];
    private readonly Lock _scrapeLock = new();
    private long _generation;

    /// <summary>Starts listening to every meter for which <paramref name="include"/> returns true.</summary>
    public PrometheusExporter(Func<Meter, bool> include)
    {
        _include = include;
        _listener = new MeterListener { InstrumentPublished = OnPublished };
        // The generation stamps observable series so a scrape shows only the series its callbacks reported.
        _listener.SetMeasurementEventCallback<long>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags, Volatile.Read(ref _generation)));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags, Volatile.Read(ref _generation)));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags, Volatile.Read(ref _generation)));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags, Volatile.Read(ref _generation)));
        _listener.Start();
    }

    private void OnPublished(Instrument instrument, MeterListener listener)
    {
        if (!_include(instrument.Meter))
        {
            return;
        }

        var (kind, observable) = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => (MetricKind.Counter, false),
            ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => (MetricKind.Counter, true),
            UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double> => (MetricKind.Gauge, false),
            ObservableUpDownCounter<long> or ObservableUpDownCounter<int> or ObservableUpDownCounter<double> => (MetricKind.Gauge, true),
            ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double> => (MetricKind.Gauge, true),
            Gauge<long> or Gauge<int> or Gauge<double> => (MetricKind.Gauge, true),
            Histogram<double> or Histogram<long> or Histogram<int> => (MetricKind.Histogram, false),
            _ => (MetricKind.Gauge, true),
        };

        double[]? buckets = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };

        var name = MetricName(instrument.Name, kind);
        var state = new InstrumentState(instrument, name, kind, observable, buckets);
        lock (_scrapeLock)
        {
            _instruments.Add(state);
        }

        listener.EnableMeasurementEvents(instrument, state);
    }

    /// <summary>Collects observable instruments and writes every series.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = new StringBuilder(4096);
        lock (_scrapeLock)
        {
            var generation = Interlocked.Increment(ref _generation);
            _listener.RecordObservableInstruments();

            // Several instruments may share a family name (two meters); emit each family once.
            foreach (var family in _instruments.GroupBy(i => i.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                WriteFamily(text, family.ToList(), generation);
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        output.Write(bytes);
    }

    /// <summary>Convenience for tests and tools: the exposition as a string.</summary>
    public string Scrape()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteFamily(StringBuilder text, List<InstrumentState> states, long generation)
    {
        var first = states[0];
        var type = first.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        };
        var help = first.Instrument.Description ?? first.Instrument.Name;
        text.Append("# HELP ").Append(first.Name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        text.Append("# TYPE ").Append(first.Name).Append(' ').Append(type).Append('\n');

        foreach (var state in states)
        {
            foreach (var (tags, series) in state.Snapshot.OrderBy(s => LabelText(s.Key, null, null), StringComparer.Ordinal))
            {
                if (state.IsObservable && series.Generation != generation)
                {
                    continue; // the callback no longer reports this series
                }

                if (state.Kind == MetricKind.Histogram)
                {
                    long cumulative = 0;
                    for (var b = 0; b < state.Buckets.Length; b++)
                    {
                        cumulative += series.Bucket(b);
                        text.Append(state.Name).Append("_bucket").Append(LabelText(tags, "le", Number(state.Buckets[b])))
                            .Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }

                    cumulative += series.Bucket(state.Buckets.Length);
                    text.Append(state.Name).Append("_bucket").Append(LabelText(tags, "le", "+Inf"))
                        .Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    text.Append(state.Name).Append("_sum").Append(LabelText(tags, null, null)).Append(' ').Append(Number(series.Sum)).Append('\n');
                    text.Append(state.Name).Append("_count").Append(LabelText(tags, null, null)).Append(' ')
                        .Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
                else
                {
                    text.Append(state.Name).Append(LabelText(tags, null, null)).Append(' ').Append(Number(series.Value)).Append('\n');
                }
            }
        }
    }

    private static string LabelText(TagSet tags, string? extraName, string? extraValue)
    {
        if (tags.Tags.Length == 0 && extraName is null)
        {
            return "";
        }

        var sb = new StringBuilder("{");
        var sorted = tags.Tags.OrderBy(t => t.Key, StringComparer.Ordinal);
        var first = true;
        foreach (var tag in sorted)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            sb.Append(SanitizeName(tag.Key)).Append("=\"").Append(EscapeLabel(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }

        if (extraName is not null)
        {
            if (!first)
            {
                sb.Append(',');
            }

            sb.Append(extraName).Append("=\"").Append(extraValue).Append('"');
        }

        return sb.Append('}').ToString();
    }

    internal static string MetricName(string instrumentName, MetricKind kind)
    {
        var name = SanitizeName(instrumentName);
        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    private static string SanitizeName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string EscapeLabel(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        return double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
