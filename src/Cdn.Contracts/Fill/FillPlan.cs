namespace Cdn.Contracts.Fill;

/// <summary>Local time window in which a site fills (e.g. 02:00–14:00); may wrap past midnight.</summary>
/// <param name="Start">Local time of day the window opens.</param>
/// <param name="End">Local time of day it closes.</param>
/// <param name="TimeZone">IANA zone of the site (e.g. <c>Europe/Amsterdam</c>).</param>
public sealed record FillWindow(TimeOnly Start, TimeOnly End, string TimeZone)
{
    /// <summary>True when <paramref name="localTime"/> lies inside the window.</summary>
    public bool Contains(TimeOnly localTime)
        => Start <= End ? localTime >= Start && localTime < End : localTime >= Start || localTime < End;
}

/// <summary>
/// One object in a fill plan, or — when <paramref name="Path"/> ends with '/' — every catalog object directly
/// under that directory (a rendition, or a title's top-level files): the unit the planner ranks and places,
/// expanded by the edge from the catalog (<see cref="ControlPlaneRoutes.TitleById"/>).
/// </summary>
/// <param name="Path">Path relative to the CDN host (<c>/title1/720p/seg_00001.m4s</c>, or <c>/title1/720p/</c>).</param>
/// <param name="SizeBytes">Size (of all its objects), for progress and capacity fitting.</param>
/// <param name="TitleId">Title the object belongs to.</param>
/// <param name="Nodes">Edges of the site this entry applies to (the replicas, placed by rendezvous hashing).</param>
/// <param name="Objects">How many objects the entry stands for.</param>
/// <param name="Sources">Peer edges of the site that hold it or are filling it too: ask them (cache only) before the shields.</param>
public sealed record FillItem(string Path, long SizeBytes, string TitleId, IReadOnlyList<string> Nodes, int Objects = 1, IReadOnlyList<string>? Sources = null);

/// <summary>What a site should hold: a versioned diff against what it holds now.</summary>
/// <param name="Site">The site.</param>
/// <param name="Version">Version, increasing per site.</param>
/// <param name="CreatedAt">When it was computed.</param>
/// <param name="Window">When the site's edges may fill.</param>
/// <param name="RateCapBytesPerSecond">Fill rate cap per edge (0: the edge's own setting alone).</param>
/// <param name="Add">Placements to fill, most valuable first.</param>
/// <param name="Keep">Placements the base plan already had.</param>
/// <param name="Release">Placements to unpin.</param>
/// <param name="Peers">The site's edges and their cache URLs (in a node's slice of the plan: the others), for peer fills.</param>
public sealed record FillPlan(
    string Site,
    long Version,
    DateTimeOffset CreatedAt,
    FillWindow Window,
    long RateCapBytesPerSecond,
    IReadOnlyList<FillItem> Add,
    IReadOnlyList<FillItem> Keep,
    IReadOnlyList<FillItem> Release,
    IReadOnlyList<FillPeer>? Peers = null);

/// <summary>A node's progress on its part of a plan.</summary>
/// <param name="NodeId">The edge.</param>
/// <param name="Site">Its site.</param>
/// <param name="PlanVersion">The plan version it works on.</param>
/// <param name="ObjectsDone">Objects of its part held and pinned.</param>
/// <param name="ObjectsTotal">Objects in its part (adds and keeps).</param>
/// <param name="BytesDone">Bytes held and pinned.</param>
/// <param name="BytesTotal">Bytes in its part.</param>
/// <param name="RateBytesPerSecond">Fill rate over the last report period.</param>
/// <param name="Errors">Objects failing now (tried again after each pass while the window is open).</param>
/// <param name="InWindow">Whether the site's fill window is open now.</param>
/// <param name="ReportedAt">When the node sent this.</param>
/// <param name="LastError">The last failure, if any.</param>
/// <param name="Activity">What it is doing: filling, waiting for the window, paused for players, done.</param>
public sealed record FillProgress(
    string NodeId,
    string Site,
    long PlanVersion,
    long ObjectsDone,
    long ObjectsTotal,
    long BytesDone,
    long BytesTotal,
    double RateBytesPerSecond,
    long Errors,
    bool InWindow,
    DateTimeOffset ReportedAt,
    string? LastError = null,
    string? Activity = null);
