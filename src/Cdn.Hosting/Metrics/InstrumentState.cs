using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Cdn.Hosting.Metrics;

/// <summary>Prometheus metric family kinds.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>Aggregated series of one instrument. Thread-safe; recording allocates only for a new series.</summary>
internal sealed class InstrumentState
{
    private static readonly double[] DefaultBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<TagSet, Series> _series = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, Series>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;

    public InstrumentState(Instrument instrument, string name, MetricKind kind, bool observable, double[]? buckets)
    {
        Instrument = instrument;
        Name = name;
        Kind = kind;
        IsObservable = observable;
        Buckets = kind == MetricKind.Histogram ? buckets ?? DefaultBuckets : [];
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public Instrument Instrument { get; }

    public string Name { get; }

    public MetricKind Kind { get; }

    public bool IsObservable { get; }

    public double[] Buckets { get; }

    public ICollection<KeyValuePair<TagSet, Series>> Snapshot => _series;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long generation)
    {
        var series = Get(tags);
        switch (Kind)
        {
            case MetricKind.Histogram:
                series.Observe(value, Buckets);
                break;
            default:
                if (IsObservable)
                {
                    // Observable instruments report the current total or level, not a delta.
                    series.Set(value, generation);
                }
                else
                {
                    series.Add(value);
                }

                break;
        }
    }

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long generation)
    {
        if (Kind == MetricKind.Histogram || IsObservable)
        {
            Record((double)value, tags, generation);
            return;
        }

        Get(tags).Add(value);
    }

    private Series Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_lookup.TryGetValue(tags, out var series))
        {
            return series;
        }

        var created = new Series(Kind == MetricKind.Histogram ? Buckets.Length + 1 : 0);
        return _lookup.TryAdd(tags, created) ? created : _lookup[tags];
    }
}

/// <summary>One labelled series: an integer part (exact for byte and request counts), a floating part, and histogram buckets.</summary>
internal sealed class Series
{
    private long _integer;
    private double _floating;
    private long _count;
    private readonly long[] _buckets;

    public Series(int buckets) => _buckets = buckets == 0 ? [] : new long[buckets];

    public long Generation { get; private set; }

    public double Value => Volatile.Read(ref _integer) + Volatile.Read(ref _floating);

    public long Count => Volatile.Read(ref _count);

    public double Sum => Volatile.Read(ref _floating);

    public long Bucket(int index) => Volatile.Read(ref _buckets[index]);

    public void Add(long value) => Interlocked.Add(ref _integer, value);

    public void Add(double value) => AddDouble(ref _floating, value);

    public void Set(double value, long generation)
    {
        Volatile.Write(ref _integer, 0);
        Volatile.Write(ref _floating, value);
        Generation = generation;
    }

    public void Observe(double value, double[] bounds)
    {
        var i = 0;
        while (i < bounds.Length && value > bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _buckets[i]);
        Interlocked.Increment(ref _count);
        AddDouble(ref _floating, value);
    }

    private static void AddDouble(ref double target, double value)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }
}
