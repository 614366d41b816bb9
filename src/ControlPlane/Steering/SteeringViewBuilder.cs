using System.Net.Sockets;

namespace Cdn.ControlPlane.Steering;

/// <summary>Computes a <see cref="SteeringView"/> from a snapshot (pure; unit-tested).</summary>
internal static class SteeringViewBuilder
{
    public static SteeringView Build(SteeringInput input, long version, AnswerSourceLabels labels)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(labels);
        var slots = input.Sites.Count + 1;
        var slotNames = new string[slots];
        var ipv4 = new AnswerSet[slots];
        var ipv6 = new AnswerSet[slots];
        for (var slot = 0; slot < slots; slot++)
        {
            string? site = slot < input.Sites.Count ? input.Sites[slot].Name : null;
            slotNames[slot] = site ?? "(unlocated)";
            ipv4[slot] = Answers(input, site, AddressFamily.InterNetwork, labels);
            ipv6[slot] = Answers(input, site, AddressFamily.InterNetworkV6, labels);
        }

        var zoneToSlot = new int[input.Zones.Zones.Count];
        for (var z = 0; z < zoneToSlot.Length; z++)
        {
            zoneToSlot[z] = SlotOfZone(input, input.Zones.Zones[z]);
        }

        return new SteeringView(input, input.Zones, zoneToSlot, ipv4, ipv6, slotNames, version);
    }

    /// <summary>The site a coverage zone maps to: the site listing it, else the site of the same name, else unlocated.</summary>
    public static int SlotOfZone(SteeringInput input, string zone)
    {
        ArgumentNullException.ThrowIfNull(input);
        for (var s = 0; s < input.Sites.Count; s++)
        {
            foreach (var name in input.Sites[s].CoverageZones)
            {
                if (string.Equals(name, zone, StringComparison.Ordinal))
                {
                    return s;
                }
            }
        }

        for (var s = 0; s < input.Sites.Count; s++)
        {
            if (string.Equals(input.Sites[s].Name, zone, StringComparison.Ordinal))
            {
                return s;
            }
        }

        return input.Sites.Count;
    }

    private static AnswerSet Answers(SteeringInput input, string? site, AddressFamily family, AnswerSourceLabels labels)
    {
        var selection = SiteSelector.Select(input, site, family);
        return AnswerSet.Build(selection, input.MaxAnswers, input.EdgeTtl, labels.IndexOf(selection.Label));
    }
}
