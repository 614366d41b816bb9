using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Catalog;
using Cdn.ControlPlane.Popularity;
using Cdn.ControlPlane.Registry;
using Cdn.ControlPlane.Storage;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Fill;

/// <summary>
/// Fill plans per site: computes them (<see cref="FillPlanner"/> over the catalog, the site's demand, pins and
/// the active plan), stores every version, pushes one to active, answers edges with their part, and keeps
/// pins and progress reports. The store is the truth; the active version per site (read on every heartbeat)
/// is an immutable map swapped on push and on refresh, so other replicas' pushes show within a refresh.
/// </summary>
internal sealed class FillPlanService : IDisposable
{
    private readonly IFillStore _store;
    private readonly TitleCatalog _catalog;
    private readonly PopularityAggregator _popularity;
    private readonly NodeRegistry _nodes;
    private readonly SiteCatalog _sites;
    private readonly LiveOptions<FillOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FillPlanService> _logger;
    private readonly SemaphoreSlim _planning = new(1, 1);
    private readonly ConcurrentDictionary<string, FillPlan> _activePlans = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, long> _active = ImmutableDictionary.Create<string, long>(StringComparer.Ordinal);

    public FillPlanService(IFillStore store, TitleCatalog catalog, PopularityAggregator popularity, NodeRegistry nodes, SiteCatalog sites,
        LiveOptions<FillOptions> options, TimeProvider time, ILogger<FillPlanService> logger)
    {
        _store = store;
        _catalog = catalog;
        _popularity = popularity;
        _nodes = nodes;
        _sites = sites;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public FillOptions Options => _options.Current;

    /// <summary>The active plan version of <paramref name="site"/> (0: none). Called on every heartbeat: a dictionary read.</summary>
    public long ActiveVersion(string site) => Volatile.Read(ref _active).GetValueOrDefault(site);

    /// <summary>Re-reads which versions are active (pushes by other replicas).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var active = await _store.LoadActiveVersionsAsync(cancellationToken);
        Volatile.Write(ref _active, active.ToImmutableDictionary(StringComparer.Ordinal));
        foreach (var (site, plan) in _activePlans)
        {
            if (active.GetValueOrDefault(site) != plan.Version)
            {
                _activePlans.TryRemove(new KeyValuePair<string, FillPlan>(site, plan));
            }
        }
    }

    /// <summary>Computes the site's next plan and stores it as a draft (or active when <paramref name="push"/>).</summary>
    public async Task<FillResult<FillPlanSummary>> ComputeAsync(string siteName, bool push, CancellationToken cancellationToken)
    {
        var site = _sites.Find(siteName);
        if (site is null)
        {
            return FillResult<FillPlanSummary>.NotFound($"no site '{siteName}' is configured");
        }

        await _planning.WaitAsync(cancellationToken);
        FillPlanSummary summary;
        try
        {
            var o = _options.Current;
            await _catalog.RefreshAsync(cancellationToken);
            await RefreshAsync(cancellationToken);
            var now = _time.GetUtcNow();
            var baseVersion = ActiveVersion(site.Name);
            var basePlan = baseVersion == 0 ? null : await ActivePlanAsync(site.Name, cancellationToken);
            var warnings = new List<string>();
            var nodes = PlannerNodes(site, now, o, warnings);
            var popularityOptions = _popularity.Options;
            var demand = await _popularity.LoadAsync(site.Name, now - popularityOptions.Retention, cancellationToken);
            var pins = (await _store.LoadPinsAsync(cancellationToken)).Where(p => (p.Site is null || p.Site == site.Name) && (p.Until is null || p.Until > now)).ToList();
            var started = _time.GetTimestamp();
            var output = FillPlanner.Plan(new PlannerInput(site.Name, now, nodes, _catalog.Titles.Values, demand, popularityOptions.BucketLength, pins, basePlan, o));
            var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
            warnings.AddRange(output.Warnings);
            for (var attempt = 0; ; attempt++)
            {
                var version = await _store.MaxVersionAsync(site.Name, cancellationToken) + 1;
                var plan = new FillPlan(site.Name, version, now, site.FillWindow, o.RateCapFor(site.Name), output.Add, output.Keep, output.Release);
                summary = new FillPlanSummary(site.Name, version, FillPlanState.Draft, now, null, baseVersion, nodes.Count, output.CapacityBytes,
                    output.PlannedBytes, Objects(output.Add), output.AddBytes, Objects(output.Keep), output.KeepBytes, Objects(output.Release),
                    output.ReleaseBytes, output.PlannedBytes == 0 ? 0 : (double)output.AddBytes / output.PlannedBytes, elapsed, FillPlanner.Describe(o), warnings);
                if (await _store.TryInsertPlanAsync(summary, plan, cancellationToken))
                {
                    break;
                }

                if (attempt >= 8)
                {
                    throw new InvalidOperationException($"site {site.Name}: could not allocate a plan version (replicas keep taking them)");
                }
            }

            ControlPlaneLog.PlanComputed(_logger, site.Name, summary.Version, summary.AddBytes, summary.KeepBytes, summary.ReleaseBytes, summary.Churn, elapsed);
            await _store.PruneAsync(site.Name, o.KeepVersions, cancellationToken);
        }
        finally
        {
            _planning.Release();
        }

        return push ? await PushAsync(site.Name, summary.Version, cancellationToken) : FillResult<FillPlanSummary>.Ok(summary);
    }

    /// <summary>Makes a stored version the site's active plan.</summary>
    public async Task<FillResult<FillPlanSummary>> PushAsync(string site, long version, CancellationToken cancellationToken)
    {
        var summary = await _store.GetSummaryAsync(site, version, cancellationToken);
        if (summary is null)
        {
            return FillResult<FillPlanSummary>.NotFound($"site '{site}' has no plan version {version}");
        }

        if (summary.State == FillPlanState.Active)
        {
            return FillResult<FillPlanSummary>.Ok(summary);
        }

        await RefreshAsync(cancellationToken);
        var active = ActiveVersion(site);
        if (summary.BaseVersion != active)
        {
            return FillResult<FillPlanSummary>.Conflict(
                $"version {version} was computed against version {summary.BaseVersion}, but version {active} is active now; compute a new plan and push that");
        }

        if (!await _store.ActivateAsync(site, version, active, _time.GetUtcNow(), cancellationToken))
        {
            return FillResult<FillPlanSummary>.Conflict($"another push for site '{site}' won the race; compute a new plan and push that");
        }

        ImmutableInterlocked.Update(ref _active, (all, v) => all.SetItem(site, v), version);
        ControlPlaneLog.PlanPushed(_logger, site, version, active);
        return FillResult<FillPlanSummary>.Ok((await _store.GetSummaryAsync(site, version, cancellationToken))!);
    }

    public Task<IReadOnlyList<FillPlanSummary>> ListAsync(string? site, CancellationToken cancellationToken)
        => _store.ListSummariesAsync(site, 100, cancellationToken);

    public Task<FillPlanSummary?> SummaryAsync(string site, long version, CancellationToken cancellationToken)
        => _store.GetSummaryAsync(site, version, cancellationToken);

    /// <summary>One version, or the active one when <paramref name="version"/> is null; null when there is none.</summary>
    public async Task<FillPlan?> PlanAsync(string site, long? version, CancellationToken cancellationToken)
        => version is { } v ? await _store.GetPlanAsync(site, v, cancellationToken) : await ActivePlanAsync(site, cancellationToken);

    /// <summary>One edge's part of the active plan: the items that name it, and the site's other edges as peers.</summary>
    public async Task<FillPlan?> NodePlanAsync(string site, string nodeId, CancellationToken cancellationToken)
    {
        var plan = await ActivePlanAsync(site, cancellationToken);
        if (plan is null)
        {
            return null;
        }

        var peers = new List<FillPeer>();
        foreach (var (node, _) in _nodes.Snapshot())
        {
            var r = node.Registration;
            if (r.Site == site && r.Role == NodeRole.Edge && r.NodeId != nodeId && r.CacheUrl is { } url)
            {
                peers.Add(new FillPeer(r.NodeId, url));
            }
        }

        return plan with
        {
            Add = [.. plan.Add.Where(i => i.Nodes.Contains(nodeId))],
            Keep = [.. plan.Keep.Where(i => i.Nodes.Contains(nodeId))],
            Release = [.. plan.Release.Where(i => i.Nodes.Contains(nodeId))],
            Peers = peers,
        };
    }

    private async Task<FillPlan?> ActivePlanAsync(string site, CancellationToken cancellationToken)
    {
        var version = ActiveVersion(site);
        if (version == 0)
        {
            return null;
        }

        if (_activePlans.TryGetValue(site, out var cached) && cached.Version == version)
        {
            return cached;
        }

        var plan = await _store.GetPlanAsync(site, version, cancellationToken);
        if (plan is not null)
        {
            _activePlans[site] = plan;
        }

        return plan;
    }

    private List<PlannerNode> PlannerNodes(Contracts.Routing.SiteInfo site, DateTimeOffset now, FillOptions o, List<string> warnings)
    {
        var edges = new List<NodeRecord>();
        foreach (var (node, _) in _nodes.Snapshot())
        {
            if (node.Registration.Site != site.Name || node.Registration.Role != NodeRole.Edge)
            {
                continue;
            }

            var heard = node.Health.LastHeartbeatAt ?? node.Health.RegisteredAt;
            if (now - heard > o.ExcludeSilentAfter)
            {
                warnings.Add($"edge {node.NodeId} left out: silent since {heard:u}");
                continue;
            }

            edges.Add(node);
        }

        var list = new List<PlannerNode>(edges.Count);
        foreach (var node in edges)
        {
            var reported = node.LastReport?.Cache?.BytesCapacity ?? 0;
            long capacity;
            if (site.CapacityBytes > 0)
            {
                var share = site.CapacityBytes / edges.Count;
                capacity = reported > 0 ? Math.Min(share, reported) : share;
            }
            else
            {
                capacity = (long)(reported * o.CapacityFraction);
                if (reported <= 0)
                {
                    warnings.Add($"edge {node.NodeId}: capacity unknown (no heartbeat with cache statistics, and site {site.Name} sets no capacityBytes): nothing placed on it");
                }
            }

            list.Add(new PlannerNode(node.NodeId, capacity));
        }

        return list;
    }

    private static long Objects(IReadOnlyList<FillItem> items)
    {
        long sum = 0;
        foreach (var i in items)
        {
            sum += (long)i.Objects * i.Nodes.Count;
        }

        return sum;
    }

    // ---- pins -------------------------------------------------------------------------------------------

    public Task<IReadOnlyList<FillPin>> PinsAsync(CancellationToken cancellationToken) => _store.LoadPinsAsync(cancellationToken);

    public async Task<FillResult<FillPin>> AddPinAsync(FillPinRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        if (string.IsNullOrEmpty(request.TitleId) == string.IsNullOrEmpty(request.PathPrefix))
        {
            problems.Add("name exactly one of titleId and pathPrefix");
        }

        if (request.PathPrefix is { } prefix && (!prefix.StartsWith('/') || prefix.Contains("..", StringComparison.Ordinal)))
        {
            problems.Add($"pathPrefix: '{prefix}' must start with '/' (e.g. /title1/ or /title1/1080p/)");
        }

        if (request.Site is { } s && _sites.Find(s) is null)
        {
            problems.Add($"site: '{s}' is not a configured site");
        }

        var now = _time.GetUtcNow();
        if (request.Until is { } until && until <= now)
        {
            problems.Add("until: must be in the future");
        }

        if (problems.Count > 0)
        {
            return FillResult<FillPin>.Invalid(problems);
        }

        var pin = new FillPin($"pin-{Guid.NewGuid():N}"[..16], request.Site, NullIfEmpty(request.TitleId), NullIfEmpty(request.PathPrefix), request.Until, request.Reason, now);
        await _store.SavePinAsync(pin, cancellationToken);
        ControlPlaneLog.PinAdded(_logger, pin.Id, pin.Site ?? "*", pin.TitleId ?? pin.PathPrefix ?? "");
        return FillResult<FillPin>.Ok(pin);
    }

    public Task<bool> DeletePinAsync(string id, CancellationToken cancellationToken) => _store.DeletePinAsync(id, cancellationToken);

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    // ---- progress ---------------------------------------------------------------------------------------

    public async Task<FillResult<FillProgress>> ReportAsync(FillProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var node = _nodes.Snapshot().FirstOrDefault(n => n.Node.NodeId == progress.NodeId).Node;
        if (node is null)
        {
            return FillResult<FillProgress>.NotFound($"no node '{progress.NodeId}' is registered");
        }

        var problems = new List<string>();
        if (progress.Site != node.Registration.Site)
        {
            problems.Add($"site: node {progress.NodeId} is registered in site '{node.Registration.Site}', not '{progress.Site}'");
        }

        if (progress.ObjectsDone < 0 || progress.ObjectsTotal < 0 || progress.BytesDone < 0 || progress.BytesTotal < 0 || progress.Errors < 0
            || double.IsNaN(progress.RateBytesPerSecond) || progress.RateBytesPerSecond < 0)
        {
            problems.Add("counts and rate must not be negative");
        }

        if (problems.Count > 0)
        {
            return FillResult<FillProgress>.Invalid(problems);
        }

        await _store.SaveProgressAsync(progress, cancellationToken);
        return FillResult<FillProgress>.Ok(progress);
    }

    public Task<IReadOnlyList<FillProgress>> ProgressAsync(string? site, CancellationToken cancellationToken) => _store.LoadProgressAsync(site, cancellationToken);

    public void Dispose() => _planning.Dispose();
}
