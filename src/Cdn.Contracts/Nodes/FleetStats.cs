namespace Cdn.Contracts.Nodes;

/// <summary>The fleet at a glance (for <c>edgectl stats</c> and <c>edgectl top</c>).</summary>
/// <param name="At">When it was computed.</param>
/// <param name="Sites">Per site, from the nodes' last heartbeats.</param>
/// <param name="TopTitles">Most requested titles over <paramref name="WindowHours"/>.</param>
/// <param name="TopObjects">Most requested objects over <paramref name="WindowHours"/>.</param>
/// <param name="WindowHours">The popularity window.</param>
public sealed record FleetStats(
    DateTimeOffset At,
    IReadOnlyList<SiteStats> Sites,
    IReadOnlyList<TitleStats> TopTitles,
    IReadOnlyList<ObjectPopularity> TopObjects,
    double WindowHours);

/// <summary>One site's edges summed (shields are listed as their own role row).</summary>
public sealed record SiteStats(
    string Site,
    NodeRole Role,
    int Nodes,
    int NodesUp,
    double GbpsOut,
    double RequestsPerSecond,
    long Connections,
    double HitRatio,
    double ByteHitRatio,
    long BytesUsed,
    long BytesCapacity);

/// <summary>Requests and bytes for one title over the window.</summary>
public sealed record TitleStats(string TitleId, long Requests, long Bytes);
