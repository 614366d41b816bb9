namespace Cdn.Contracts.Routing;

/// <summary>The coverage zones in force after a successful upload (or the rejection's errors in a problem response).</summary>
/// <param name="Zones">Zones in the file.</param>
/// <param name="Networks">IPv4 and IPv6 networks across all zones.</param>
/// <param name="Revision">The file's <c>revision</c> field, when it has one.</param>
public sealed record CoverageZoneSummary(int Zones, int Networks, string? Revision);
