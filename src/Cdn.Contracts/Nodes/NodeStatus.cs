namespace Cdn.Contracts.Nodes;

/// <summary>A node's state as the control plane decides it (with hysteresis).</summary>
public enum NodeState
{
    /// <summary>Registered, not yet healthy for long enough.</summary>
    Pending,

    /// <summary>Healthy: gets new clients unless drained.</summary>
    Up,

    /// <summary>Missed heartbeats or unhealthy.</summary>
    Down,
}

/// <summary>A node as listed by the control plane.</summary>
public sealed record NodeStatus(
    string NodeId,
    NodeRole Role,
    string Site,
    IReadOnlyList<string> Addresses,
    double CapacityGbps,
    NodeState State,
    bool Drained,
    DateTimeOffset? LastHeartbeat,
    NodeHealthReport? Health,
    NodeLoadReport? Load,
    CacheStatsReport? Cache,
    string? Reason,
    Uri? AdminUrl = null,
    Uri? CacheUrl = null);
