namespace Cdn.ControlPlane.CoverageZones;

/// <summary>Outcome of offering a new coverage zone document.</summary>
/// <param name="Applied">True when it replaced the zones in force.</param>
/// <param name="Errors">Why it was rejected (empty when applied).</param>
/// <param name="Map">The zones in force afterwards (the old ones when rejected).</param>
internal sealed record CoverageZoneUpdate(bool Applied, IReadOnlyList<string> Errors, CoverageZoneMap Map);
