using System.Diagnostics.Metrics;
using Cdn.Caching;
using Cdn.Contracts.Fill;
using Cdn.NodeAgent;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Keys;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Fill;

/// <summary>
/// Fills this edge towards its part of the site's fill plan. One loop task owns all state (see README.md):
/// it notices a new plan version in the heartbeat answer and fetches this edge's part; unpins what the plan
/// releases; inside the site's fill window (site local time) walks the plan — keeps first, then adds, most
/// valuable first — fetching each object through the cache's own fill (<see cref="HttpCache.PrefetchAsync"/>,
/// peers first, then shields) at the rate cap, pinning what is stored; persists a cursor after every batch so a
/// restart resumes there; retries failures after a pass; and reports progress to the control plane.
/// </summary>
internal sealed class FillAgent : BackgroundService
{
    private readonly HttpCache _cache;
    private readonly CacheEngine _engine;
    private readonly RequestTargetParser _parser;
    private readonly ControlPlaneClient _client;
    private readonly NodeAgentStatus _status;
    private readonly string _nodeId;
    private readonly string _site;
    private readonly FillAgentOptions _options;
    private readonly FillSources _sources;
    private readonly FillStateStore _store;
    private readonly UnitExpander _expander;
    private readonly TokenBucket _bucket;
    private readonly TimeProvider _time;
    private readonly ILogger<FillAgent> _logger;
    private readonly Meter _meter = new("Cdn.Fill");
    private readonly Counter<long> _objectsMetric;
    private readonly Counter<long> _bytesMetric;

    // Owned by the loop.
    private FillPlan? _plan;
    private List<FillItem> _work = [];
    private FillCursor _cursor = FillCursor.Start(0, []);
    private long _objectsTotal;
    private long _bytesTotal;
    private bool _wasOpen;
    private bool _completeLogged;
    private bool _paused;
    private long _passEndedAt;
    private readonly List<FillObject> _retryQueue = [];
    private long _lastReport;
    private long _fetchedSinceReport;
    private long _lastEgressSample;
    private long _lastEgressBytes;
    private FillProgressState _state = FillProgressState.Idle;

    public FillAgent(HttpCache cache, RequestTargetParser parser, ControlPlaneClient client, NodeAgentStatus status, string nodeId, string site,
        FillAgentOptions options, FillSources sources, FillStateStore store, TimeProvider time, ILogger<FillAgent> logger)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _engine = cache.Engine;
        _parser = parser;
        _client = client;
        _status = status;
        _nodeId = nodeId;
        _site = site;
        _options = options;
        _sources = sources;
        _store = store;
        _expander = new UnitExpander(client, store);
        _bucket = new TokenBucket(0, options.BurstBytes, time);
        _time = time;
        _logger = logger;
        _objectsMetric = _meter.CreateCounter<long>("edge_fill_objects_total", null, "Objects the fill agent handled, by outcome (filled, cached, joined, failed).");
        _bytesMetric = _meter.CreateCounter<long>("edge_fill_bytes_total", "By", "Body bytes the fill agent fetched (peers and shields).");
        _meter.CreateObservableGauge("edge_fill_plan_version", () => Volatile.Read(ref _state).PlanVersion, null, "Fill plan version being filled.");
        _meter.CreateObservableGauge("edge_fill_objects_done", () => Volatile.Read(ref _state).ObjectsDone, null, "Objects of the plan held and pinned.");
        _meter.CreateObservableGauge("edge_fill_in_window", () => Volatile.Read(ref _state).InWindow ? 1 : 0, null, "1 while the site's fill window is open.");
    }

    /// <summary>The agent's progress now.</summary>
    public FillProgressState State => Volatile.Read(ref _state);

    /// <summary>Where the agent took up its plan after a restart (null: it started without one).</summary>
    public FillProgressState? ResumedAt { get; private set; }

    /// <summary>Peer edges that answered fills from their cache.</summary>
    public long PeerHits => _sources.PeerHits;

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        await Task.Yield(); // the host's start does not wait for the resume check
        try
        {
            await ResumeAsync(cancellationToken);
        }
#pragma warning disable CA1031 // A state the agent cannot resume from must not stop the edge: it starts afresh with the next plan.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            FillLog.LoopFailed(_logger, ex);
        }

        _lastReport = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await StepAsync(cancellationToken);
                await ReportIfDueAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The agent must outlive any one bad step; the error is logged and the loop carries on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                FillLog.LoopFailed(_logger, ex);
                Publish(_state with { LastError = ex.Message });
            }

            if (!worked)
            {
                try
                {
                    await Task.Delay(_options.CheckInterval, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await ReportAsync(final: true, CancellationToken.None);
    }

    /// <summary>Loads the persisted plan and cursor; re-checks (and re-pins) what the cursor says is done, since the cache index may have lost the last moments before a crash.</summary>
    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        var plan = _store.LoadPlan();
        var cursor = _store.LoadCursor();
        if (plan is null)
        {
            if (cursor is not null)
            {
                _cursor = cursor with { Item = 0, Object = 0 };
            }

            return;
        }

        SetPlan(plan);
        _cursor = cursor is null || cursor.PlanVersion != plan.Version
            ? FillCursor.Start(plan.Version, cursor?.Unpin ?? [])
            : cursor;
        var missing = new List<FillObject>();
        var failing = new HashSet<string>(_cursor.Failed.Select(f => f.Path), StringComparer.Ordinal);
        for (var i = 0; i <= _cursor.Item && i < _work.Count; i++)
        {
            IReadOnlyList<FillObject> objects;
            try
            {
                objects = await _expander.ExpandAsync(_work[i], cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or ControlPlaneException or IOException or OperationCanceledException)
            {
                continue;
            }

            var end = i < _cursor.Item ? objects.Count : Math.Min(_cursor.Object, objects.Count);
            for (var j = 0; j < end; j++)
            {
                if (!failing.Contains(objects[j].Path) && (KeyOf(objects[j].Path) is not { } key || !_engine.SetPinned(key, true)))
                {
                    missing.Add(objects[j]);
                }
            }
        }

        if (missing.Count > 0)
        {
            _cursor = _cursor with
            {
                ObjectsDone = Math.Max(0, _cursor.ObjectsDone - missing.Count),
                BytesDone = Math.Max(0, _cursor.BytesDone - missing.Sum(m => m.SizeBytes)),
                Failed = [.. _cursor.Failed, .. missing],
            };
            _store.SaveCursor(_cursor);
        }

        FillLog.Resumed(_logger, plan.Version, _cursor.Item, _cursor.Object, _cursor.ObjectsDone, missing.Count);
        Publish(Snapshot("resuming", InWindowNow()));
        ResumedAt = State;
    }

    /// <summary>One step: adopt a new plan, unpin, then (inside the window, players permitting) one batch of objects. True when it did fill work.</summary>
    private async Task<bool> StepAsync(CancellationToken cancellationToken)
    {
        var version = _status.FillPlanVersion;
        if (version > 0 && version != (_plan?.Version ?? 0))
        {
            try
            {
                Adopt(await _client.GetNodeFillPlanAsync(_site, _nodeId, cancellationToken));
            }
            catch (Exception ex) when (ex is HttpRequestException or ControlPlaneException or IOException or System.Text.Json.JsonException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                FillLog.PlanFetchFailed(_logger, version, ex.Message);
                Publish(_state with { LastError = $"cannot fetch plan v{version}: {ex.Message}" });
            }
        }

        if (_cursor.Unpin.Count > 0)
        {
            await UnpinAsync(cancellationToken);
        }

        if (_plan is null)
        {
            Publish(FillProgressState.Idle with { Activity = version == 0 ? "no plan pushed for this site" : "fetching the plan" });
            return false;
        }

        var open = InWindowNow();
        if (open != _wasOpen)
        {
            _wasOpen = open;
            if (open)
            {
                FillLog.WindowOpened(_logger, FillWindowClock.Describe(_plan.Window), _plan.Version);
            }
            else
            {
                FillLog.WindowClosed(_logger, FillWindowClock.Describe(_plan.Window), _cursor.ObjectsDone, _objectsTotal);
            }
        }

        if (!open)
        {
            Publish(Snapshot(WaitingText(), false));
            return false;
        }

        if (PlayersNeedBandwidth())
        {
            Publish(Snapshot("paused: players need the bandwidth", true));
            return false;
        }

        if (_cursor.Item < _work.Count)
        {
            await FillBatchAsync(cancellationToken);
            return true;
        }

        if (_cursor.Failed.Count > 0)
        {
            if (_passEndedAt == 0)
            {
                _passEndedAt = _time.GetTimestamp();
            }

            if (_retryQueue.Count > 0 || _time.GetElapsedTime(_passEndedAt) >= _options.RetryDelay)
            {
                await RetryBatchAsync(cancellationToken);
                return true;
            }

            Publish(Snapshot($"retrying {_cursor.Failed.Count} failed objects shortly", true));
            return false;
        }

        if (!_completeLogged)
        {
            _completeLogged = true;
            FillLog.PlanComplete(_logger, _plan.Version, _cursor.ObjectsDone, _cursor.BytesDone, _cursor.Errors);
        }

        Publish(Snapshot("done", true));
        return false;
    }

    private void Adopt(FillPlan plan)
    {
        var next = new HashSet<string>(plan.Keep.Concat(plan.Add).Select(i => i.Path), StringComparer.Ordinal);
        var unpin = new Dictionary<string, FillItem>(StringComparer.Ordinal);
        foreach (var item in plan.Release.Concat(_cursor.Unpin).Concat(_plan is null ? [] : _plan.Keep.Concat(_plan.Add)))
        {
            if (!next.Contains(item.Path))
            {
                unpin.TryAdd(item.Path, item);
            }
        }

        _expander.Clear();
        var cursor = FillCursor.Start(plan.Version, [.. unpin.Values]);
        _store.SaveCursor(cursor); // first: a crash before the plan is saved keeps the unpin list
        _store.SavePlan(plan);
        _cursor = cursor;
        _retryQueue.Clear();
        SetPlan(plan);
        _completeLogged = false;
        _passEndedAt = 0;
        FillLog.PlanAdopted(_logger, plan.Version, _objectsTotal, _bytesTotal, unpin.Count);
        Publish(Snapshot("plan adopted", InWindowNow()));
    }

    private void SetPlan(FillPlan plan)
    {
        _plan = plan;
        _work = [.. plan.Keep, .. plan.Add];
        _objectsTotal = _work.Sum(i => (long)i.Objects);
        _bytesTotal = _work.Sum(i => i.SizeBytes);
        var caps = new[] { plan.RateCapBytesPerSecond, _options.RateCapBytesPerSecond }.Where(c => c > 0).ToList();
        _bucket.SetRate(caps.Count == 0 ? 0 : caps.Min());
    }

    private async Task UnpinAsync(CancellationToken cancellationToken)
    {
        var remaining = new List<FillItem>();
        foreach (var item in _cursor.Unpin)
        {
            try
            {
                foreach (var o in await _expander.ExpandAsync(item, cancellationToken))
                {
                    if (KeyOf(o.Path) is { } key)
                    {
                        _engine.SetPinned(key, false);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or ControlPlaneException or IOException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                FillLog.ExpandFailed(_logger, item.Path, item.TitleId, ex.Message);
                remaining.Add(item);
            }
        }

        _cursor = _cursor with { Unpin = remaining };
        _store.SaveCursor(_cursor);
    }

    private async Task FillBatchAsync(CancellationToken cancellationToken)
    {
        var item = _work[_cursor.Item];
        IReadOnlyList<FillObject> objects;
        try
        {
            objects = await _expander.ExpandAsync(item, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or ControlPlaneException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Without the object list this unit cannot be filled now; count it failed and move on.
            FillLog.ExpandFailed(_logger, item.Path, item.TitleId, ex.Message);
            _cursor = _cursor with { Item = _cursor.Item + 1, Object = 0, Errors = _cursor.Errors + 1, LastError = $"{item.Path}: {ex.Message}" };
            _store.SaveCursor(_cursor);
            return;
        }

        var batch = objects.Skip(_cursor.Object).Take(_options.Concurrency).ToList();
        var results = await RunAsync(batch, Peers(item), cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return; // stopping: this batch goes again after the restart
        }

        var next = _cursor.Object + batch.Count;
        _cursor = Apply(_cursor, batch, results) with
        {
            Item = next >= objects.Count ? _cursor.Item + 1 : _cursor.Item,
            Object = next >= objects.Count ? 0 : next,
        };
        _store.SaveCursor(_cursor);
        Publish(Snapshot("filling", true));
    }

    /// <summary>One batch of a pass over the objects that failed; a pass ends when every object failing at its start was tried once.</summary>
    private async Task RetryBatchAsync(CancellationToken cancellationToken)
    {
        if (_retryQueue.Count == 0)
        {
            _retryQueue.AddRange(_cursor.Failed);
        }

        var batch = _retryQueue.Take(_options.Concurrency).ToList();
        var results = await RunAsync(batch, AllPeers(), cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        _retryQueue.RemoveRange(0, batch.Count);
        var remaining = _cursor.Failed.Where(f => !batch.Contains(f)).ToList();
        _cursor = Apply(_cursor with { Failed = remaining }, batch, results);
        if (_retryQueue.Count == 0)
        {
            _passEndedAt = _time.GetTimestamp();
        }

        _store.SaveCursor(_cursor);
        Publish(Snapshot("retrying failed objects", true));
    }

    private static FillCursor Apply(FillCursor cursor, List<FillObject> batch, PrefetchResult?[] results)
    {
        var failed = cursor.Failed.ToList();
        long done = 0, bytes = 0, errors = 0;
        string? lastError = cursor.LastError;
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is { Stored: true })
            {
                done++;
                bytes += batch[i].SizeBytes;
            }
            else
            {
                errors++;
                failed.Add(batch[i]);
                lastError = $"{batch[i].Path}: {results[i]?.Reason ?? "failed"}";
            }
        }

        return cursor with
        {
            ObjectsDone = cursor.ObjectsDone + done,
            BytesDone = cursor.BytesDone + bytes,
            Errors = cursor.Errors + errors,
            Failed = failed,
            LastError = lastError,
        };
    }

    /// <summary>Fills <paramref name="batch"/> concurrently; each result is null when the object could not even be tried.</summary>
    private async Task<PrefetchResult?[]> RunAsync(List<FillObject> batch, IReadOnlyList<Uri> peers, CancellationToken cancellationToken)
    {
        var results = new PrefetchResult?[batch.Count];
        await Task.WhenAll(batch.Select(async (o, i) => results[i] = await FillOneAsync(o, peers, cancellationToken)));
        return results;
    }

    private async Task<PrefetchResult?> FillOneAsync(FillObject o, IReadOnlyList<Uri> peers, CancellationToken cancellationToken)
    {
        if (!_parser.TryParse(_options.Host, o.Path, out var target, out var error))
        {
            FillLog.ObjectFailed(_logger, o.Path, error!.Reason);
            return new PrefetchResult(PrefetchOutcome.Failed, 0, 0, null, error.Reason);
        }

        PrefetchResult result;
        try
        {
            result = await _cache.PrefetchAsync(target, (request, key, ct) => _sources.SendAsync(peers, request, key, ct), _bucket, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            result = new PrefetchResult(PrefetchOutcome.Failed, 0, 0, null, ex.Message);
        }

        Interlocked.Add(ref _fetchedSinceReport, result.BytesFetched);
        _bytesMetric.Add(result.BytesFetched);
        if (result.Stored && !_engine.SetPinned(_engine.KeyHasher.Create(target.CacheKey), true))
        {
            result = result with { Outcome = PrefetchOutcome.Failed, Reason = "evicted before it could be pinned" };
        }

        _objectsMetric.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome switch
        {
            PrefetchOutcome.Filled => "filled",
            PrefetchOutcome.AlreadyCached => "cached",
            PrefetchOutcome.Joined => "joined",
            _ => "failed",
        }));
        if (!result.Stored && !cancellationToken.IsCancellationRequested)
        {
            FillLog.ObjectFailed(_logger, o.Path, result.Reason ?? result.Outcome.ToString());
        }

        return result;
    }

    private Cdn.Caching.Keys.CacheKey? KeyOf(string path)
        => _parser.TryParse(_options.Host, path, out var target, out _) ? _engine.KeyHasher.Create(target.CacheKey) : null;

    /// <summary>Peers to ask for an item: its sources (or, for keeps, the other replicas), without this edge.</summary>
    private List<Uri> Peers(FillItem item)
    {
        var urls = new List<Uri>();
        foreach (var id in item.Sources ?? item.Nodes)
        {
            if (id != _nodeId && _plan?.Peers?.FirstOrDefault(p => p.NodeId == id) is { } peer)
            {
                urls.Add(peer.Url);
            }
        }

        return urls;
    }

    private List<Uri> AllPeers() => _plan?.Peers?.Where(p => p.NodeId != _nodeId).Select(p => p.Url).ToList() ?? [];

    private bool InWindowNow()
    {
        if (_plan is null)
        {
            return false;
        }

        try
        {
            return FillWindowClock.IsOpen(_plan.Window, _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            FillLog.UnknownTimeZone(_logger, _plan.Window.TimeZone);
            return false;
        }
    }

    private string WaitingText()
    {
        var window = _plan!.Window;
        var until = FillWindowClock.UntilOpen(window, _time.GetUtcNow());
        return $"waiting for the fill window {FillWindowClock.Describe(window)} (opens in {until:hh\\:mm})";
    }

    /// <summary>True while players draw more than <see cref="FillAgentOptions.PauseAboveGbps"/> (measured over the check interval).</summary>
    private bool PlayersNeedBandwidth()
    {
        if (_options.PauseAboveGbps <= 0)
        {
            return false;
        }

        var now = _time.GetTimestamp();
        var bytes = _cache.Metrics.BytesServed;
        var seconds = _time.GetElapsedTime(_lastEgressSample, now).TotalSeconds;
        if (_lastEgressSample != 0 && seconds < _options.CheckInterval.TotalSeconds)
        {
            return _paused;
        }

        var gbps = _lastEgressSample == 0 ? 0 : (bytes - _lastEgressBytes) * 8 / seconds / 1e9;
        _lastEgressSample = now;
        _lastEgressBytes = bytes;
        var paused = gbps > _options.PauseAboveGbps;
        if (paused && !_paused)
        {
            FillLog.PausedForPlayers(_logger, gbps);
        }

        _paused = paused;
        return paused;
    }

    private FillProgressState Snapshot(string activity, bool inWindow)
        => new(_plan?.Version ?? 0, _cursor.ObjectsDone, _objectsTotal, _cursor.BytesDone, _bytesTotal, _cursor.Failed.Count, inWindow, activity, _cursor.LastError);

    private void Publish(FillProgressState state) => Volatile.Write(ref _state, state);

    private async Task ReportIfDueAsync(CancellationToken cancellationToken)
    {
        if (_time.GetElapsedTime(_lastReport) >= _options.ReportInterval)
        {
            await ReportAsync(final: false, cancellationToken);
        }
    }

    private async Task ReportAsync(bool final, CancellationToken cancellationToken)
    {
        if (!_status.Registered)
        {
            return;
        }

        var seconds = Math.Max(0.001, _time.GetElapsedTime(_lastReport).TotalSeconds);
        _lastReport = _time.GetTimestamp();
        var fetched = Interlocked.Exchange(ref _fetchedSinceReport, 0);
        var s = State;
        var progress = new FillProgress(_nodeId, _site, s.PlanVersion, s.ObjectsDone, s.ObjectsTotal, s.BytesDone, s.BytesTotal, fetched / seconds, s.Failing,
            s.InWindow, _time.GetUtcNow(), s.LastError, final ? "stopped" : s.Activity);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await _client.ReportFillProgressAsync(progress, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or ControlPlaneException or IOException or OperationCanceledException)
        {
            FillLog.ReportFailed(_logger, ex.Message);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _meter.Dispose();
        _sources.Dispose();
    }
}
