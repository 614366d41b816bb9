namespace Cdn.Capacity;

/// <summary>The planner's answer for one set of inputs.</summary>
/// <param name="Inputs">What was planned.</param>
/// <param name="PeakGbps">Total peak demand (Gb/s).</param>
/// <param name="SitePeakGbps">Peak demand per site (Gb/s).</param>
/// <param name="TitleBytes">Stored bytes per title.</param>
/// <param name="CatalogBytes">Stored bytes of the whole catalog.</param>
/// <param name="CoreGbps">What one core serves at the planned HTTPS share (Gb/s).</param>
/// <param name="EdgeServeGbps">What one edge is planned to serve: the binding resource at the utilization cap (Gb/s).</param>
/// <param name="Bottleneck">"network" or "cpu": which resource caps an edge.</param>
/// <param name="EdgesForThroughput">Edges per site the peak needs.</param>
/// <param name="HottestTitleGbpsPerSite">Peak demand of the most popular title in one site (Gb/s): its replicas' edges must
/// serve it (the planner assumes demand spreads over a site's edges; compare with <paramref name="EdgeServeGbps"/> × replicas).</param>
/// <param name="Rows">One row for throughput-only sizing, then one per target hit ratio.</param>
public sealed record CapacityPlan(
    CapacityInputs Inputs,
    double PeakGbps,
    double SitePeakGbps,
    double TitleBytes,
    double CatalogBytes,
    double CoreGbps,
    double EdgeServeGbps,
    string Bottleneck,
    int EdgesForThroughput,
    double HottestTitleGbpsPerSite,
    IReadOnlyList<CapacityRow> Rows);

/// <summary>One sizing of a site.</summary>
/// <param name="Sizing">"throughput" or the target, e.g. "97% hit".</param>
/// <param name="TargetHitRatio">The target, or null for throughput-only sizing.</param>
/// <param name="EdgesPerSite">Edges per site: the larger of throughput and storage needs.</param>
/// <param name="EdgesForStorage">Edges the target's titles need to be stored, at least one per replica (0 without a target).</param>
/// <param name="Bottleneck">What sets the edge count: "cpu" or "network" (throughput), or "cache" (storage for the target).</param>
/// <param name="TitlesHeld">Distinct titles a site holds with those edges (the fill plan's top titles).</param>
/// <param name="SiteCacheBytes">Cache bytes per site (all edges, before replicas).</param>
/// <param name="CacheNeededBytes">Cache bytes per site the target needs (its titles × replicas), or null without a target.</param>
/// <param name="ByteHitRatio">Share of the site's bytes served from its own cache (titles held by popularity).</param>
/// <param name="UpstreamGbpsPerSite">Peak bytes per site fetched from the shield tier (Gb/s).</param>
/// <param name="UpstreamGbpsTotal">The same over every site: what the shields (and behind them the origin) see.</param>
/// <param name="TotalEdges">Edges over every site.</param>
/// <param name="PeakUtilization">The binding resource's utilization at the peak with that many edges.</param>
/// <param name="ReachesTarget">False when even the whole catalog in every site misses the target (never for a target ≤ 1).</param>
/// <param name="ReactiveByteHitRatio">Hit ratio of on-demand caching (W-TinyLFU, simulated) at the same size, when asked for.</param>
public sealed record CapacityRow(
    string Sizing,
    double? TargetHitRatio,
    int EdgesPerSite,
    int EdgesForStorage,
    string Bottleneck,
    long TitlesHeld,
    double SiteCacheBytes,
    double? CacheNeededBytes,
    double ByteHitRatio,
    double UpstreamGbpsPerSite,
    double UpstreamGbpsTotal,
    long TotalEdges,
    double PeakUtilization,
    bool ReachesTarget,
    double? ReactiveByteHitRatio);
