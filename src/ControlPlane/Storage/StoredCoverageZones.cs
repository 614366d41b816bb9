namespace Cdn.ControlPlane.Storage;

/// <summary>The coverage zone file as last accepted by any replica.</summary>
internal sealed record StoredCoverageZones(string Json, long Version, DateTimeOffset UpdatedAt);
