using Cdn.Contracts.Nodes;
using Cdn.Contracts.Purge;
using Cdn.ControlPlane.Registry;
using Cdn.ControlPlane.Storage;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Purge;

/// <summary>
/// Purge fan-out. A purge lists every registered edge and shield when it is made; a background loop calls each
/// node's admin API until it confirms — shields first, so an edge cannot refill the old object from a shield
/// that still has it — retrying failed nodes with exponential backoff, and at once when a node registers again
/// (it was down and came back). The store holds each purge's per-node state, so a control-plane restart (or
/// another replica) carries on where this one stopped; node purges are idempotent, so a call repeated by two
/// replicas does no harm.
/// </summary>
internal sealed class PurgeCoordinator : BackgroundService
{
    private const int MaxUpdateAttempts = 8;

    private readonly IPurgeStore _store;
    private readonly NodeRegistry _nodes;
    private readonly NodeAdminClient _admin;
    private readonly LiveOptions<PurgeOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PurgeCoordinator> _logger;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PurgeCoordinator(IPurgeStore store, NodeRegistry nodes, NodeAdminClient admin, LiveOptions<PurgeOptions> options, TimeProvider time, ILogger<PurgeCoordinator> logger)
    {
        _store = store;
        _nodes = nodes;
        _admin = admin;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Records a purge for every node and starts fanning it out; the problems when it cannot be made.</summary>
    public async Task<(PurgeStatus? Status, string? Problem)> CreateAsync(PurgeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_admin.HasToken)
        {
            return (null, "the control plane has no token for the nodes' admin APIs: set NodeAdmin:Token (or TokenFile) to one of the nodes' Admin:Tokens");
        }

        var now = _time.GetUtcNow();
        var nodes = new List<PurgeNodeRecord>();
        foreach (var (node, _) in _nodes.Snapshot())
        {
            var r = node.Registration;
            nodes.Add(new PurgeNodeRecord(r.NodeId, r.Role, false, 0, r.AdminUrl is null ? "the node registered no adminUrl: it cannot be purged until it does" : null, null, 0, null, now));
        }

        var purge = new PurgeRecord($"purge-{now:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..32], request.Target.Trim(), request.Kind, now, nodes, nodes.Count == 0 ? now : null, 1);
        await _store.InsertAsync(purge, cancellationToken);
        ControlPlaneLog.PurgeCreated(_logger, purge.PurgeId, purge.Kind, purge.Target, nodes.Count);
        Wake();
        return (purge.ToStatus(), null);
    }

    public async Task<PurgeStatus?> GetAsync(string purgeId, CancellationToken cancellationToken)
        => (await _store.GetAsync(purgeId, cancellationToken))?.ToStatus();

    public async Task<IReadOnlyList<PurgeStatus>> ListAsync(CancellationToken cancellationToken)
        => [.. (await _store.ListAsync(100, cancellationToken)).Select(p => p.ToStatus())];

    /// <summary>Looks at pending purges now (a node registered: it may have been down).</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var lastPrune = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake);
            using (var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                await Task.WhenAny(wake.Task, Task.Delay(_options.Current.PollInterval, _time, delay.Token));
                await delay.CancelAsync();
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (wake.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
            }

            try
            {
                foreach (var purge in await _store.LoadPendingAsync(cancellationToken))
                {
                    await WorkAsync(purge, cancellationToken);
                }

                if (_time.GetUtcNow() - lastPrune > TimeSpan.FromHours(1))
                {
                    lastPrune = _time.GetUtcNow();
                    await _store.PruneAsync(lastPrune - _options.Current.Retention, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The fan-out must outlive one bad tick (store down, a damaged document); it is logged and retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ControlPlaneLog.PurgeLoopFailed(_logger, ex);
            }
        }
    }

    /// <summary>Calls every node of <paramref name="purge"/> that is due, then records the answers.</summary>
    internal async Task WorkAsync(PurgeRecord purge, CancellationToken cancellationToken)
    {
        var options = _options.Current;
        var now = _time.GetUtcNow();
        var registrations = new Dictionary<string, NodeRecord>(StringComparer.Ordinal);
        foreach (var (node, _) in _nodes.Snapshot())
        {
            registrations[node.NodeId] = node;
        }

        var shieldsPending = purge.Nodes.Any(n => n.Role == NodeRole.Shield && !n.Done);
        var edgesMayGo = !shieldsPending || now - purge.CreatedAt >= options.ShieldWait;
        var due = new List<(PurgeNodeRecord Node, Uri Url)>();
        foreach (var n in purge.Nodes)
        {
            if (n.Done || (n.Role == NodeRole.Edge && !edgesMayGo) || !registrations.TryGetValue(n.NodeId, out var record) || record.Registration.AdminUrl is not { } url)
            {
                continue;
            }

            // A node that registered since its last attempt was restarted: try it now rather than after the backoff.
            var cameBack = n.LastAttemptAt is { } last && record.Health.RegisteredAt > last;
            if (n.NextAttemptAt <= now || cameBack)
            {
                due.Add((n, url));
            }
        }

        if (due.Count == 0)
        {
            return;
        }

        var results = new Dictionary<string, (NodePurgeResult? Result, string? Error)>(StringComparer.Ordinal);
        var command = new NodePurgeCommand(purge.PurgeId, purge.Target, purge.Kind);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (d, ct) =>
        {
            (NodePurgeResult?, string?) outcome;
            try
            {
                outcome = (await _admin.PurgeAsync(d.Url, command, ct), null);
            }
            catch (NodeAdminException ex)
            {
                outcome = (null, ex.Message);
            }

            lock (results)
            {
                results[d.Node.NodeId] = outcome;
            }
        });

        await RecordAsync(purge, results, cancellationToken);
    }

    private async Task RecordAsync(PurgeRecord purge, Dictionary<string, (NodePurgeResult? Result, string? Error)> results, CancellationToken cancellationToken)
    {
        var options = _options.Current;
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var now = _time.GetUtcNow();
            var nodes = new List<PurgeNodeRecord>(purge.Nodes.Count);
            var shieldDoneNow = false;
            foreach (var n in purge.Nodes)
            {
                if (!results.TryGetValue(n.NodeId, out var r) || n.Done)
                {
                    nodes.Add(n);
                    continue;
                }

                if (r.Result is { } result)
                {
                    nodes.Add(n with { Done = true, Attempts = n.Attempts + 1, LastError = null, DoneAt = now, ObjectsRemoved = n.ObjectsRemoved + result.ObjectsRemoved, LastAttemptAt = now });
                    shieldDoneNow |= n.Role == NodeRole.Shield;
                    ControlPlaneLog.PurgeNodeDone(_logger, purge.PurgeId, n.NodeId, result.ObjectsRemoved);
                }
                else
                {
                    var backoff = TimeSpan.FromTicks(Math.Min(options.RetryMax.Ticks, options.RetryMin.Ticks * (1L << Math.Min(n.Attempts, 20))));
                    nodes.Add(n with { Attempts = n.Attempts + 1, LastError = r.Error, LastAttemptAt = now, NextAttemptAt = now + backoff });
                    ControlPlaneLog.PurgeNodeFailed(_logger, purge.PurgeId, n.NodeId, n.Attempts + 1, backoff, r.Error ?? "");
                }
            }

            // The last shield confirmed after edges went ahead (it was down, ShieldWait passed): an edge may have
            // refilled the old object from it meanwhile, so every edge is purged once more.
            if (shieldDoneNow && !nodes.Any(n => n.Role == NodeRole.Shield && !n.Done))
            {
                for (var i = 0; i < nodes.Count; i++)
                {
                    if (nodes[i].Role == NodeRole.Edge && nodes[i].Done)
                    {
                        nodes[i] = nodes[i] with { Done = false, DoneAt = null, NextAttemptAt = now };
                    }
                }
            }

            var complete = nodes.All(n => n.Done);
            var next = purge with { Nodes = nodes, CompletedAt = complete ? now : null, Revision = purge.Revision + 1 };
            if (await _store.TryUpdateAsync(next, purge.Revision, cancellationToken))
            {
                if (complete)
                {
                    ControlPlaneLog.PurgeCompleted(_logger, purge.PurgeId, nodes.Count, now - purge.CreatedAt);
                    return;
                }

                if (nodes.Any(n => !n.Done && n.NextAttemptAt <= now))
                {
                    Wake();
                }

                return;
            }

            // Another replica updated it: apply our answers to its version.
            purge = await _store.GetAsync(purge.PurgeId, cancellationToken) ?? purge;
        }
    }
}
