using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cdn.Contracts.Routing;
using Cdn.ControlPlane.Steering;

namespace Cdn.ControlPlane.Api;

/// <summary>Answers "which edges would this client get, and why" with the same selection the DNS view uses.</summary>
internal static class RouteExplainer
{
    /// <summary>Parses <c>10.1.2.3</c> or <c>10.1.2.0/24</c>; null when neither.</summary>
    public static (IPAddress Address, int Prefix)? ParseClient(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address))
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            return null;
        }

        return (address, prefix);
    }

    public static RouteDecision Explain(string client, IPAddress address, int prefix, SteeringInput input)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(input);
        var reasons = new List<string>();
        var match = input.Zones.Lookup(address, prefix);
        string? zone = null;
        string? matched = null;
        string? site = null;
        if (match.Found)
        {
            zone = input.Zones.Zones[match.Value];
            var bits = CoverageZones.AddressBits.Mask(CoverageZones.AddressBits.From(address), match.MatchedLength);
            matched = $"{CoverageZones.AddressBits.ToAddress(bits, address.AddressFamily)}/{match.MatchedLength}";
            var slot = SteeringViewBuilder.SlotOfZone(input, zone);
            site = slot < input.Sites.Count ? input.Sites[slot].Name : null;
            reasons.Add(site is null
                ? $"coverage zone {zone} ({matched}) maps to no configured site"
                : $"coverage zone {zone} ({matched}) -> site {site}; ECS scope would be /{match.Scope}");
        }
        else
        {
            reasons.Add("no coverage zone contains the client");
        }

        var addresses = new List<string>();
        foreach (var family in (ReadOnlySpan<AddressFamily>)[AddressFamily.InterNetwork, AddressFamily.InterNetworkV6])
        {
            var selection = SiteSelector.Select(input, site, family, reasons);
            for (var i = 0; i < selection.Addresses.Count && i < input.MaxAnswers; i++)
            {
                addresses.Add(selection.Addresses[i].ToString());
            }
        }

        return new RouteDecision(client, matched, zone, site, addresses, reasons);
    }
}
