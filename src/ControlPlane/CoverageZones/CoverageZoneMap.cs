using System.Net;
using System.Net.Sockets;

namespace Cdn.ControlPlane.CoverageZones;

/// <summary>
/// An immutable coverage zone file as loaded: zone names, one trie per family, the document it came from.
/// Replaced whole on reload.
/// </summary>
internal sealed class CoverageZoneMap
{
    public static readonly CoverageZoneMap Empty = new([], new PrefixTrie(32), new PrefixTrie(128), """{"coverageZones":{}}""", null);

    public CoverageZoneMap(IReadOnlyList<string> zones, PrefixTrie ipv4, PrefixTrie ipv6, string json, string? revision)
    {
        Zones = zones;
        IPv4 = ipv4;
        IPv6 = ipv6;
        Json = json;
        Revision = revision;
    }

    /// <summary>Zone names; a trie value is an index into this list.</summary>
    public IReadOnlyList<string> Zones { get; }

    public PrefixTrie IPv4 { get; }

    public PrefixTrie IPv6 { get; }

    /// <summary>The file's text, served back by the API.</summary>
    public string Json { get; }

    /// <summary>The file's <c>revision</c> field, when it has one.</summary>
    public string? Revision { get; }

    public int NetworkCount => IPv4.PrefixCount + IPv6.PrefixCount;

    /// <summary>Looks up an address (for the API; the DNS path calls the tries directly).</summary>
    public PrefixMatch Lookup(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bits = AddressBits.From(address);
        return address.AddressFamily == AddressFamily.InterNetwork
            ? IPv4.Lookup(bits, Math.Min(prefixLength, 32))
            : IPv6.Lookup(bits, Math.Min(prefixLength, 128));
    }
}
