using Cdn.Contracts.Fill;
using Cdn.ControlPlane.Catalog;
using Cdn.ControlPlane.Popularity;

namespace Cdn.ControlPlane.Fill;

/// <summary>An edge the planner may place units on, and the bytes it may fill.</summary>
internal sealed record PlannerNode(string NodeId, long CapacityBytes);

/// <summary>Everything one planning run reads; the planner is a pure function of it.</summary>
/// <param name="Site">The site.</param>
/// <param name="Now">The planning time.</param>
/// <param name="Nodes">The site's edges that take fills, with their capacities.</param>
/// <param name="Titles">The live catalog.</param>
/// <param name="Popularity">The site's demand windows.</param>
/// <param name="BucketLength">Length of a demand window (a window's demand is dated at its middle).</param>
/// <param name="Pins">Operator pins in force for the site.</param>
/// <param name="Base">The active plan (what the site holds), or null.</param>
/// <param name="Options">Forecast and fitting settings.</param>
internal sealed record PlannerInput(
    string Site,
    DateTimeOffset Now,
    IReadOnlyList<PlannerNode> Nodes,
    IEnumerable<CatalogTitle> Titles,
    IReadOnlyList<PopularityRow> Popularity,
    TimeSpan BucketLength,
    IReadOnlyList<FillPin> Pins,
    FillPlan? Base,
    FillOptions Options);

/// <summary>The planner's answer: the diff against the base plan, most valuable first, and its numbers.</summary>
internal sealed record PlannerOutput(
    IReadOnlyList<FillItem> Add,
    IReadOnlyList<FillItem> Keep,
    IReadOnlyList<FillItem> Release,
    long CapacityBytes,
    long PlannedBytes,
    long AddBytes,
    long KeepBytes,
    long ReleaseBytes,
    IReadOnlyList<string> Warnings);
