using System.Net;
using Cdn.ControlPlane.CoverageZones;

namespace Cdn.ControlPlane.Steering;

/// <summary>Everything an answer view is computed from; a consistent snapshot taken at rebuild time.</summary>
internal sealed record SteeringInput(
    IReadOnlyList<SteeringSite> Sites,
    IReadOnlyList<SteeringNode> Nodes,
    CoverageZoneMap Zones,
    string? DefaultSite,
    IReadOnlyList<IPAddress> LastResort,
    int MaxAnswers,
    uint EdgeTtl);
