using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Storage;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Popularity;

/// <summary>
/// Sums the popularity edges report in heartbeats (their top objects since the previous heartbeat) per site,
/// time window and object, in memory, and adds the sums to the store every
/// <see cref="PopularityOptions.FlushInterval"/>: one transaction per flush instead of one write per
/// heartbeat and object. Thread-safe; heartbeats only take a short lock.
/// </summary>
internal sealed class PopularityAggregator
{
    private readonly IPopularityStore _store;
    private readonly LiveOptions<PopularityOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PopularityAggregator> _logger;
    private readonly Lock _lock = new();
    private Dictionary<(string Site, long Bucket, string Path), (string Title, long Requests, long Bytes)> _pending = [];

    public PopularityAggregator(IPopularityStore store, LiveOptions<PopularityOptions> options, TimeProvider time, ILogger<PopularityAggregator> logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public PopularityOptions Options => _options.Current;

    /// <summary>Counts from one edge's heartbeat.</summary>
    public void Record(string site, IReadOnlyList<ObjectPopularity>? items)
    {
        if (items is null || items.Count == 0)
        {
            return;
        }

        var bucket = BucketOf(_time.GetUtcNow());
        lock (_lock)
        {
            foreach (var item in items)
            {
                if (item is null || item.Requests <= 0 || PathOf(item.Key) is not { } path)
                {
                    continue;
                }

                var key = (site, bucket, path);
                _pending[key] = _pending.TryGetValue(key, out var sum)
                    ? (sum.Title, sum.Requests + item.Requests, sum.Bytes + Math.Max(0, item.Bytes))
                    : (TitleOf(path), item.Requests, Math.Max(0, item.Bytes));
            }
        }
    }

    /// <summary>Writes what was gathered since the last flush; on failure it is kept for the next one.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Dictionary<(string Site, long Bucket, string Path), (string Title, long Requests, long Bytes)> batch;
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batch = _pending;
            _pending = [];
        }

        var rows = new List<(string, PopularityRow)>(batch.Count);
        foreach (var ((site, bucket, path), (title, requests, bytes)) in batch)
        {
            rows.Add((site, new PopularityRow(path, title, DateTimeOffset.FromUnixTimeMilliseconds(bucket), requests, bytes)));
        }

        try
        {
            await _store.AddAsync(rows, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            lock (_lock)
            {
                foreach (var (key, value) in batch)
                {
                    _pending[key] = _pending.TryGetValue(key, out var sum)
                        ? (sum.Title, sum.Requests + value.Requests, sum.Bytes + value.Bytes)
                        : value;
                }
            }

            ControlPlaneLog.PopularityFlushFailed(_logger, batch.Count, ex);
            throw;
        }
    }

    /// <summary>Windows of <paramref name="site"/> (or all sites) since <paramref name="since"/>, pending counts included.</summary>
    public async Task<IReadOnlyList<PopularityRow>> LoadAsync(string? site, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await _store.LoadAsync(site, since, cancellationToken);
    }

    /// <summary>Drops windows older than the retention.</summary>
    public Task<long> PruneAsync(CancellationToken cancellationToken)
        => _store.PruneAsync(_time.GetUtcNow() - _options.Current.Retention, cancellationToken);

    private long BucketOf(DateTimeOffset at)
    {
        var length = (long)_options.Current.BucketLength.TotalMilliseconds;
        var ms = at.ToUnixTimeMilliseconds();
        return ms - (ms % length);
    }

    /// <summary>The path of a cache key: <c>cdn.example/t1/720p/s.m4s?v=1</c> (or a variant key) → <c>/t1/720p/s.m4s</c>.</summary>
    public static string? PathOf(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }

        var end = key.AsSpan(slash).IndexOfAny('?', '\n');
        var path = end < 0 ? key[slash..] : key.Substring(slash, end);
        return path.Length > 1 && path.Length <= 2048 ? path : null;
    }

    /// <summary>The title of a path: its first segment.</summary>
    public static string TitleOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var next = path.IndexOf('/', 1);
        return next < 0 ? "" : path[1..next];
    }
}
