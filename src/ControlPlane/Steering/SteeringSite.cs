namespace Cdn.ControlPlane.Steering;

/// <summary>A site as steering sees it: where to fall back to, and which coverage zones map to it.</summary>
internal sealed record SteeringSite(string Name, IReadOnlyList<string> Fallbacks, IReadOnlyList<string> CoverageZones);
