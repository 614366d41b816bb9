using Cdn.ControlPlane.CoverageZones;

namespace Cdn.ControlPlane.Steering;

/// <summary>
/// The immutable answer view the DNS path reads: per site (plus one slot for clients no coverage zone
/// matched) and family, the pre-encoded answers; per coverage zone, the site it maps to. Rebuilt whole on
/// every health, drain, site or coverage-zone change and published with one reference write.
/// </summary>
internal sealed class SteeringView
{
    public SteeringView(SteeringInput input, CoverageZoneMap zones, int[] zoneToSlot, AnswerSet[] ipv4, AnswerSet[] ipv6, string[] slotNames, long version)
    {
        Input = input;
        Zones = zones;
        ZoneToSlot = zoneToSlot;
        IPv4 = ipv4;
        IPv6 = ipv6;
        SlotNames = slotNames;
        Version = version;
    }

    public SteeringInput Input { get; }

    public CoverageZoneMap Zones { get; }

    /// <summary>Coverage zone index → answer slot (a site, or <see cref="UnlocatedSlot"/> when the zone names no site).</summary>
    public int[] ZoneToSlot { get; }

    public AnswerSet[] IPv4 { get; }

    public AnswerSet[] IPv6 { get; }

    /// <summary>Site name per slot; the last slot is for unlocated clients.</summary>
    public string[] SlotNames { get; }

    public long Version { get; }

    public int UnlocatedSlot => IPv4.Length - 1;

    /// <summary>The slot for a coverage-zone lookup result.</summary>
    public int SlotFor(in PrefixMatch match) => match.Found ? ZoneToSlot[match.Value] : UnlocatedSlot;
}
