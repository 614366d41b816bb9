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

/// <summary>One object in a fill plan.</summary>
/// <param name="Path">Path relative to the CDN host (<c>/title1/720p/seg_00001.m4s</c>).</param>
/// <param name="SizeBytes">Size, for progress and capacity fitting.</param>
/// <param name="TitleId">Title the object belongs to.</param>
/// <param name="Nodes">Edges of the site that should hold it (replicas by rendezvous hashing).</param>
public sealed record FillItem(string Path, long SizeBytes, string TitleId, IReadOnlyList<string> Nodes);

/// <summary>What a site should hold: a versioned diff against what it holds now.</summary>
public sealed record FillPlan(
    string Site,
    long Version,
    DateTimeOffset CreatedAt,
    FillWindow Window,
    long RateCapBytesPerSecond,
    IReadOnlyList<FillItem> Add,
    IReadOnlyList<FillItem> Keep,
    IReadOnlyList<FillItem> Release);

/// <summary>A node's progress on its part of a plan.</summary>
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
    string? LastError = null);
