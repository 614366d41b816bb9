using Cdn.Contracts.Nodes;

namespace Cdn.Proxy.Diagnostics;

/// <summary>
/// The most requested objects since the last report, for the control plane's fill planner: the Space-Saving
/// algorithm (Metwally et al.) over a fixed number of counters, so memory is bounded however many objects
/// are requested, and the heavy hitters are found with a bounded over-count. One lock; a request touches it
/// once, after its response.
/// </summary>
public sealed class PopularityTracker
{
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private Dictionary<string, (long Requests, long Bytes, long Error)> _counters;

    /// <summary>Tracks up to <paramref name="capacity"/> objects.</summary>
    public PopularityTracker(int capacity = 4096)
    {
        _capacity = capacity;
        _counters = new(capacity, StringComparer.Ordinal);
    }

    /// <summary>One request for <paramref name="key"/> that sent <paramref name="bytes"/>.</summary>
    public void Record(string key, long bytes)
    {
        lock (_lock)
        {
            if (_counters.TryGetValue(key, out var c))
            {
                _counters[key] = (c.Requests + 1, c.Bytes + bytes, c.Error);
                return;
            }

            if (_counters.Count < _capacity)
            {
                _counters[key] = (1, bytes, 0);
                return;
            }

            // Replace the least counted: the newcomer inherits its count as its possible over-count.
            var min = _counters.MinBy(p => p.Value.Requests);
            _counters.Remove(min.Key);
            _counters[key] = (min.Value.Requests + 1, bytes, min.Value.Requests);
        }
    }

    /// <summary>The <paramref name="top"/> most requested objects since the last call, and a fresh window.</summary>
    public IReadOnlyList<ObjectPopularity> TakeTop(int top)
    {
        Dictionary<string, (long Requests, long Bytes, long Error)> window;
        lock (_lock)
        {
            window = _counters;
            _counters = new(_capacity, StringComparer.Ordinal);
        }

        return window.OrderByDescending(p => p.Value.Requests).Take(top)
            .Select(p => new ObjectPopularity(p.Key, TitleOf(p.Key), p.Value.Requests, p.Value.Bytes))
            .ToList();
    }

    /// <summary>The title of a key: its first path segment (<c>cdn.example/title1/720p/seg.m4s</c> → <c>title1</c>).</summary>
    public static string? TitleOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }

        var next = key.IndexOf('/', slash + 1);
        return next < 0 ? null : key[(slash + 1)..next];
    }
}
