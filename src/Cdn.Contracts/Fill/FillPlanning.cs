namespace Cdn.Contracts.Fill;

/// <summary>Where a fill plan version is in its life.</summary>
public enum FillPlanState
{
    /// <summary>Computed, not pushed: edges do not see it.</summary>
    Draft,

    /// <summary>The plan the site's edges fill towards (one per site).</summary>
    Active,

    /// <summary>Was active; a later version replaced it.</summary>
    Superseded,
}

/// <summary>Asks the control plane to compute a site's next fill plan.</summary>
/// <param name="Site">The site.</param>
/// <param name="Push">Make it the active plan at once (edges pick it up with their next heartbeat).</param>
public sealed record FillPlanRequest(string Site, bool Push = false);

/// <summary>A fill plan version without its items: what it changes and why it looks the way it does.</summary>
/// <param name="Site">The site.</param>
/// <param name="Version">Version, increasing per site.</param>
/// <param name="State">Draft, active or superseded.</param>
/// <param name="CreatedAt">When it was computed.</param>
/// <param name="PushedAt">When it became active, if it did.</param>
/// <param name="BaseVersion">The active version it was computed against (0: none; everything is an add).</param>
/// <param name="Nodes">Edges the plan places objects on.</param>
/// <param name="CapacityBytes">Bytes the plan may fill across those edges (after headroom for player misses).</param>
/// <param name="PlannedBytes">Bytes the plan holds (every replica counted).</param>
/// <param name="AddObjects">Object placements to fill.</param>
/// <param name="AddBytes">Bytes to fill.</param>
/// <param name="KeepObjects">Object placements kept from the base plan.</param>
/// <param name="KeepBytes">Bytes kept.</param>
/// <param name="ReleaseObjects">Object placements released (unpinned; evicted when space is needed).</param>
/// <param name="ReleaseBytes">Bytes released.</param>
/// <param name="Churn">AddBytes over PlannedBytes: the share of the plan that must be fetched again.</param>
/// <param name="ComputeMilliseconds">How long the planner took.</param>
/// <param name="Method">The forecasting and fitting method, in words.</param>
/// <param name="Warnings">What the operator should know (no capacity known, pins exceed capacity…).</param>
public sealed record FillPlanSummary(
    string Site,
    long Version,
    FillPlanState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PushedAt,
    long BaseVersion,
    int Nodes,
    long CapacityBytes,
    long PlannedBytes,
    long AddObjects,
    long AddBytes,
    long KeepObjects,
    long KeepBytes,
    long ReleaseObjects,
    long ReleaseBytes,
    double Churn,
    double ComputeMilliseconds,
    string Method,
    IReadOnlyList<string> Warnings);

/// <summary>A peer edge of the same site an edge may fill from before going to the shields.</summary>
/// <param name="NodeId">The peer.</param>
/// <param name="Url">Base URL of its cache listener (cleartext), e.g. <c>http://10.0.0.12:80/</c>.</param>
public sealed record FillPeer(string NodeId, Uri Url);

/// <summary>An operator's pin: the planner keeps these objects at the site whatever the forecast says.</summary>
/// <param name="Id">Pin id.</param>
/// <param name="Site">Site, or null for every site.</param>
/// <param name="TitleId">A whole title, or null.</param>
/// <param name="PathPrefix">Objects whose path starts with this (e.g. <c>/title1/1080p/</c>), or null.</param>
/// <param name="Until">When the pin lapses, or null for never.</param>
/// <param name="Reason">Why (shown in plans and listings).</param>
/// <param name="CreatedAt">When it was made.</param>
public sealed record FillPin(string Id, string? Site, string? TitleId, string? PathPrefix, DateTimeOffset? Until, string? Reason, DateTimeOffset CreatedAt);

/// <summary>A new pin: a title or a path prefix, for one site or all.</summary>
public sealed record FillPinRequest(string? Site, string? TitleId, string? PathPrefix, DateTimeOffset? Until, string? Reason);
