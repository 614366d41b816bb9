using System.Collections.Immutable;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Health;
using Cdn.ControlPlane.Storage;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Registry;

/// <summary>
/// The nodes and their health. The store is the truth (replicas share it); this keeps an immutable
/// snapshot of it plus the last health verdict per node, re-evaluated on every heartbeat, drain, refresh and
/// clock tick. <see cref="RoutingChanged"/> fires only when something that steering uses changed (a state,
/// a drain flag, an address), so heartbeats from healthy nodes do not rebuild the answer view.
/// </summary>
internal sealed class NodeRegistry
{
    private readonly IRegistryStore _store;
    private readonly TimeProvider _time;
    private readonly LiveOptions<HealthOptions> _options;
    private readonly ILogger<NodeRegistry> _logger;
    private readonly Lock _lock = new();
    private ImmutableSortedDictionary<string, NodeRecord> _nodes = ImmutableSortedDictionary<string, NodeRecord>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableDictionary<string, HealthVerdict> _verdicts = ImmutableDictionary<string, HealthVerdict>.Empty;
    private string _routingKey = "";

    public NodeRegistry(IRegistryStore store, TimeProvider time, LiveOptions<HealthOptions> options, ILogger<NodeRegistry> logger)
    {
        _store = store;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>Raised (outside locks) when the set of routable nodes or their addresses changed.</summary>
    public event Action? RoutingChanged;

    public HealthOptions Options => _options.Current;

    /// <summary>Every node with its verdict, ordered by id.</summary>
    public IReadOnlyList<(NodeRecord Node, HealthVerdict Verdict)> Snapshot()
    {
        lock (_lock)
        {
            var list = new List<(NodeRecord, HealthVerdict)>(_nodes.Count);
            foreach (var (id, node) in _nodes)
            {
                list.Add((node, _verdicts.TryGetValue(id, out var v) ? v : new HealthVerdict(NodeState.Pending, "not evaluated yet")));
            }

            return list;
        }
    }

    public async Task<NodeRecord> RegisterAsync(NodeRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var record = await _store.RegisterAsync(registration, _time.GetUtcNow(), cancellationToken);
        ControlPlaneLog.NodeRegistered(_logger, record.NodeId, registration.Role, registration.Site, string.Join(' ', registration.Addresses));
        Apply(record);
        return record;
    }

    /// <summary>Records a heartbeat; null when the node is not registered.</summary>
    public async Task<(NodeRecord Node, HealthVerdict Verdict)?> HeartbeatAsync(string nodeId, NodeHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var now = _time.GetUtcNow();
        var options = _options.Current;
        var report = heartbeat with { Popularity = null };
        var updated = await _store.UpdateAsync(nodeId, node => node with
        {
            // A node going away is not unhealthy: ShuttingDown keeps players off it, its health history stays true.
            Health = HealthPolicy.OnHeartbeat(node.Health, heartbeat.Health.Healthy, now, options),
            ShuttingDown = heartbeat.Draining,
            LastReport = report,
        }, cancellationToken);
        if (updated is null)
        {
            ControlPlaneLog.UnknownNodeHeartbeat(_logger, nodeId);
            return null;
        }

        if (heartbeat.Draining && !IsShuttingDown(nodeId))
        {
            ControlPlaneLog.NodeShuttingDown(_logger, nodeId);
        }

        Apply(updated);
        return (updated, Verdict(nodeId));
    }

    /// <summary>Sets the operator drain flag; null when the node is unknown.</summary>
    public async Task<NodeRecord?> SetDrainedAsync(string nodeId, bool drained, CancellationToken cancellationToken)
    {
        var updated = await _store.UpdateAsync(nodeId, node => node with { Drained = drained }, cancellationToken);
        if (updated is null)
        {
            return null;
        }

        if (drained)
        {
            ControlPlaneLog.NodeDrained(_logger, nodeId);
        }
        else
        {
            ControlPlaneLog.NodeUndrained(_logger, nodeId);
        }

        Apply(updated);
        return updated;
    }

    public HealthVerdict Verdict(string nodeId)
    {
        lock (_lock)
        {
            return _verdicts.TryGetValue(nodeId, out var v) ? v : new HealthVerdict(NodeState.Pending, "not evaluated yet");
        }
    }

    /// <summary>Replaces the snapshot with what the store holds (other replicas' writes) and re-evaluates.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var all = await _store.LoadNodesAsync(cancellationToken);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, NodeRecord>(StringComparer.Ordinal);
        foreach (var node in all)
        {
            builder[node.NodeId] = node;
        }

        lock (_lock)
        {
            // Keep a newer local write that the read raced with.
            foreach (var (id, local) in _nodes)
            {
                if (builder.TryGetValue(id, out var stored) && stored.Revision < local.Revision)
                {
                    builder[id] = local;
                }
            }

            _nodes = builder.ToImmutable();
        }

        Evaluate();
    }

    /// <summary>Re-evaluates every node against the clock; raises <see cref="RoutingChanged"/> when routing changed.</summary>
    public void Evaluate()
    {
        var now = _time.GetUtcNow();
        var options = _options.Current;
        var changed = false;
        List<(string Id, HealthVerdict Now, HealthVerdict Before)>? transitions = null;
        lock (_lock)
        {
            var verdicts = ImmutableDictionary.CreateBuilder<string, HealthVerdict>(StringComparer.Ordinal);
            var key = new System.Text.StringBuilder();
            foreach (var (id, node) in _nodes)
            {
                var verdict = HealthPolicy.Evaluate(node.Health, now, options);
                verdicts[id] = verdict;
                var before = _verdicts.TryGetValue(id, out var b) ? b : (HealthVerdict?)null;
                if (before is null || before.Value.State != verdict.State)
                {
                    (transitions ??= []).Add((id, verdict, before ?? new HealthVerdict(NodeState.Pending, null)));
                }

                key.Append(id).Append('|').Append(node.Registration.Site).Append('|').Append(node.Registration.Role).Append('|')
                    .Append(string.Join(',', node.Registration.Addresses)).Append('|').Append(verdict.State).Append('|')
                    .Append(node.Drained).Append('|').Append(node.ShuttingDown).Append(';');
            }

            _verdicts = verdicts.ToImmutable();
            var routingKey = key.ToString();
            if (routingKey != _routingKey)
            {
                _routingKey = routingKey;
                changed = true;
            }
        }

        if (transitions is not null)
        {
            foreach (var (id, verdict, before) in transitions)
            {
                if (verdict.State == NodeState.Up)
                {
                    ControlPlaneLog.NodeUp(_logger, id, before.State);
                }
                else if (verdict.State != before.State)
                {
                    ControlPlaneLog.NodeStateChanged(_logger, id, verdict.State, before.State, verdict.Reason ?? "");
                }
            }
        }

        if (changed)
        {
            RoutingChanged?.Invoke();
        }
    }

    private bool IsShuttingDown(string nodeId)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(nodeId, out var node) && node.ShuttingDown;
        }
    }

    private void Apply(NodeRecord record)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(record.NodeId, out var existing) || existing.Revision <= record.Revision)
            {
                _nodes = _nodes.SetItem(record.NodeId, record);
            }
        }

        Evaluate();
    }
}
