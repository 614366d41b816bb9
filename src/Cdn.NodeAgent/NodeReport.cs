using Cdn.Contracts.Nodes;

namespace Cdn.NodeAgent;

/// <summary>What a daemon reports in each heartbeat.</summary>
/// <param name="Health">Volumes, disk, errors; Healthy false routes players around the node.</param>
/// <param name="Load">Egress and connections over the last period.</param>
/// <param name="Cache">Cache statistics.</param>
/// <param name="Popularity">Most requested objects since the last report (for fill planning), or null.</param>
public sealed record NodeReport(NodeHealthReport Health, NodeLoadReport Load, CacheStatsReport Cache, IReadOnlyList<ObjectPopularity>? Popularity = null);
