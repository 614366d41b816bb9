using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Cdn.ControlPlane.CoverageZones;

/// <summary>
/// Parses Apache Traffic Control's coverage zone file (CZF) unchanged:
/// <c>{"revision":…,"customerName":…,"coverageZones":{"zone":{"network":["10.0.0.0/16"],"network6":["2001:db8::/48"],"coordinates":{…}}}}</c>.
/// Every problem is reported (up to a limit) so an operator fixes the file in one pass; host bits below the
/// prefix are masked as Traffic Router does; a network listed by two zones is an error (it would route
/// arbitrarily).
/// </summary>
internal static class CoverageZoneFile
{
    private const int MaxErrors = 50;

    /// <summary>Parses <paramref name="json"/>; returns null with <paramref name="errors"/> when it is not a valid CZF.</summary>
    public static CoverageZoneMap? Parse(string json, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = new List<string>();
        errors = problems;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            problems.Add($"not valid JSON: {ex.Message}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add("the document must be a JSON object with a \"coverageZones\" object");
                return null;
            }

            if (!root.TryGetProperty("coverageZones", out var zonesElement) || zonesElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add("missing \"coverageZones\" object");
                return null;
            }

            string? revision = root.TryGetProperty("revision", out var rev) && rev.ValueKind == JsonValueKind.String ? rev.GetString() : null;
            var zones = new List<string>();
            var ipv4 = new PrefixTrie(32);
            var ipv6 = new PrefixTrie(128);
            foreach (var zone in zonesElement.EnumerateObject())
            {
                if (zone.Name.Length == 0)
                {
                    Add(problems, "coverageZones: a zone has an empty name");
                    continue;
                }

                if (zone.Value.ValueKind != JsonValueKind.Object)
                {
                    Add(problems, $"coverageZones.{zone.Name}: must be an object");
                    continue;
                }

                var index = zones.Count;
                zones.Add(zone.Name);
                ReadNetworks(zone, "network", AddressFamily.InterNetwork, ipv4, index, zones, problems);
                ReadNetworks(zone, "network6", AddressFamily.InterNetworkV6, ipv6, index, zones, problems);
            }

            return problems.Count > 0 ? null : new CoverageZoneMap(zones, ipv4, ipv6, json, revision);
        }
    }

    private static void ReadNetworks(JsonProperty zone, string property, AddressFamily family, PrefixTrie trie, int index, List<string> zones, List<string> problems)
    {
        if (!zone.Value.TryGetProperty(property, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var where = $"coverageZones.{zone.Name}.{property}";
        if (list.ValueKind != JsonValueKind.Array)
        {
            Add(problems, $"{where}: must be an array of CIDR strings");
            return;
        }

        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"{where}[{i++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                Add(problems, $"{at}: must be a string like \"{(family == AddressFamily.InterNetwork ? "10.1.0.0/16" : "2001:db8::/48")}\"");
                continue;
            }

            var text = item.GetString()!;
            if (!TryParseLoose(text, out var parsed))
            {
                Add(problems, $"{at}: '{text}' is not a CIDR network");
                continue;
            }

            if (parsed.BaseAddress.AddressFamily != family)
            {
                Add(problems, $"{at}: '{text}' is {(family == AddressFamily.InterNetwork ? "IPv6; list it under network6" : "IPv4; list it under network")}");
                continue;
            }

            var bits = AddressBits.Mask(AddressBits.From(parsed.BaseAddress), parsed.PrefixLength);
            var previous = trie.Add(bits, parsed.PrefixLength, index);
            if (previous >= 0 && previous != index)
            {
                Add(problems, $"{at}: '{text}' is also in zone '{zones[previous]}'");
            }
        }
    }

    /// <summary>CIDR with host bits allowed (masked later), as Traffic Router accepts them; a bare address is a host route.</summary>
    private static bool TryParseLoose(string text, out (IPAddress BaseAddress, int PrefixLength) network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out length) || length > max))
        {
            return false;
        }

        network = (address, length);
        return true;
    }

    private static void Add(List<string> problems, string message)
    {
        if (problems.Count < MaxErrors)
        {
            problems.Add(message);
        }
        else if (problems.Count == MaxErrors)
        {
            problems.Add("… more errors not shown");
        }
    }
}
