namespace Cdn.Contracts.Routing;

/// <summary>Which edges the GeoDNS would hand a client, and why (for <c>edgectl route</c>).</summary>
/// <param name="Client">The client address or subnet asked about.</param>
/// <param name="MatchedPrefix">Coverage-zone prefix that matched, or null.</param>
/// <param name="CoverageZone">Name of the matched coverage zone.</param>
/// <param name="Site">Site chosen.</param>
/// <param name="Addresses">Addresses answered, in order.</param>
/// <param name="Reasons">Each step of the decision (fallbacks, skipped nodes and why).</param>
public sealed record RouteDecision(
    string Client,
    string? MatchedPrefix,
    string? CoverageZone,
    string? Site,
    IReadOnlyList<string> Addresses,
    IReadOnlyList<string> Reasons);

/// <summary>A site of the CDN.</summary>
/// <param name="Name">Site name (also the coverage-zone name that maps to it unless overridden).</param>
/// <param name="Location">Free text location (city, PoP).</param>
/// <param name="FillWindow">When the site fills.</param>
/// <param name="CapacityBytes">Cache bytes across the site's edges available to fill plans.</param>
/// <param name="Fallbacks">Sites to try, in order, when this one has no healthy edge.</param>
/// <param name="CoverageZones">Coverage zones (names in the coverage zone file) routed to this site; null or empty: the zone named like the site.</param>
public sealed record SiteInfo(string Name, string Location, Fill.FillWindow FillWindow, long CapacityBytes, IReadOnlyList<string> Fallbacks, IReadOnlyList<string>? CoverageZones = null);
