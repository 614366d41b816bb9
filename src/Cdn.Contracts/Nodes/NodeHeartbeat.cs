namespace Cdn.Contracts.Nodes;

/// <summary>A node's periodic report: health, load, cache statistics and what is popular on it.</summary>
public sealed record NodeHeartbeat(
    string NodeId,
    DateTimeOffset SentAt,
    NodeHealthReport Health,
    NodeLoadReport Load,
    CacheStatsReport Cache,
    IReadOnlyList<ObjectPopularity>? Popularity = null,
    bool Draining = false);

/// <summary>Self-assessed health. A node with <see cref="Healthy"/> false is routed around.</summary>
public sealed record NodeHealthReport(
    bool Healthy,
    int VolumesUp,
    int VolumesTotal,
    long DiskFreeBytes,
    long ErrorsSinceLastReport,
    IReadOnlyList<string> Problems);

/// <summary>Load over the last report period.</summary>
public sealed record NodeLoadReport(double GbpsOut, long Connections, double RequestsPerSecond);

/// <summary>Cache statistics over the last report period (ratios) and now (sizes).</summary>
public sealed record CacheStatsReport(
    long Objects,
    long BytesUsed,
    long BytesCapacity,
    long Requests,
    long Hits,
    long BytesServed,
    long BytesFromUpstream)
{
    /// <summary>Hits over requests, 0 when idle.</summary>
    public double HitRatio => Requests == 0 ? 0 : (double)Hits / Requests;

    /// <summary>Bytes not fetched upstream over bytes served, 0 when idle.</summary>
    public double ByteHitRatio => BytesServed == 0 ? 0 : Math.Max(0, 1 - ((double)BytesFromUpstream / BytesServed));
}

/// <summary>Requests for one object (or title) on a node over a window.</summary>
public sealed record ObjectPopularity(string Key, string? TitleId, long Requests, long Bytes);

/// <summary>What the control plane tells a node in reply to a heartbeat.</summary>
/// <param name="State">The node's state as the control plane sees it.</param>
/// <param name="FillPlanVersion">Version of the fill plan the node should hold (0: none).</param>
public sealed record HeartbeatAccepted(NodeState State, long FillPlanVersion);
