using System.Net;
using Cdn.ControlPlane.Dns.Wire;

namespace Cdn.ControlPlane.Dns;

/// <summary>
/// The static part of what we serve, built from <see cref="DnsOptions"/>: every name that exists in our zones
/// (keyed by lower-case wire name) and each zone's SOA/NS records. Immutable; replaced on a config reload.
/// </summary>
internal sealed class DnsZoneSet
{
    private readonly Dictionary<byte[], DnsNameEntry> _names;
    private readonly Dictionary<byte[], DnsNameEntry>.AlternateLookup<ReadOnlySpan<byte>> _nameLookup;
    private readonly Dictionary<byte[], DnsZone> _zones;
    private readonly Dictionary<byte[], DnsZone>.AlternateLookup<ReadOnlySpan<byte>> _zoneLookup;

    private DnsZoneSet(Dictionary<byte[], DnsNameEntry> names, Dictionary<byte[], DnsZone> zones)
    {
        _names = names;
        _zones = zones;
        _nameLookup = names.GetAlternateLookup<ReadOnlySpan<byte>>();
        _zoneLookup = zones.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public IEnumerable<DnsZone> Zones => _zones.Values;

    /// <summary>The entry for an existing name (lower-case wire form).</summary>
    public bool TryGetName(ReadOnlySpan<byte> lowerName, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out DnsNameEntry entry)
        => _nameLookup.TryGetValue(lowerName, out entry);

    /// <summary>The closest enclosing zone of a name that does not exist, and the offset of its apex inside the name.</summary>
    public DnsZone? FindZone(ReadOnlySpan<byte> lowerName, out int apexOffset)
    {
        var position = 0;
        while (position < lowerName.Length)
        {
            if (_zoneLookup.TryGetValue(lowerName[position..], out var zone))
            {
                apexOffset = position;
                return zone;
            }

            if (lowerName[position] == 0)
            {
                break;
            }

            position += 1 + lowerName[position];
        }

        apexOffset = -1;
        return null;
    }

    public static DnsZoneSet Build(DnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var names = new Dictionary<byte[], DnsNameEntry>(WireNameComparer.Instance);
        var zones = new Dictionary<byte[], DnsZone>(WireNameComparer.Instance);
        var ttl = options.Ttl;
        foreach (var z in options.Zones)
        {
            var apexText = z.Qualify("@");
            var apex = DnsName.FromText(apexText);
            var primary = DnsName.FromText(z.Qualify(z.NameServers[0].Name));
            var mailbox = DnsName.FromText(z.Qualify(z.Soa.Mailbox));
            var soaData = DnsRecordEncoder.SoaData(primary, mailbox, (uint)z.Soa.Serial, (uint)z.Soa.Refresh, (uint)z.Soa.Retry, (uint)z.Soa.Expire, (uint)ttl.Negative);
            var soaAnswer = DnsRecordEncoder.Record([], DnsRecordType.Soa, (uint)ttl.Soa, soaData);
            var soaNegative = DnsRecordEncoder.Record([], DnsRecordType.Soa, (uint)Math.Min(ttl.Soa, ttl.Negative), soaData);

            var ns = new List<byte[]>();
            var glue = new List<byte[]>();
            var nsA = new Dictionary<string, (List<byte[]> A, List<byte[]> Aaaa)>(StringComparer.Ordinal);
            foreach (var server in z.NameServers)
            {
                var host = z.Qualify(server.Name);
                var hostWire = DnsName.FromText(host);
                ns.Add(DnsRecordEncoder.Record(DnsRecordEncoder.QuestionPointer, DnsRecordType.Ns, (uint)ttl.Ns, hostWire));
                if (!z.Contains(host))
                {
                    continue;
                }

                if (!nsA.TryGetValue(host, out var own))
                {
                    own = ([], []);
                    nsA[host] = own;
                }

                foreach (var text in server.Addresses)
                {
                    var address = IPAddress.Parse(text);
                    glue.Add(DnsRecordEncoder.Address(hostWire, address, (uint)ttl.Ns));
                    var self = DnsRecordEncoder.Address(DnsRecordEncoder.QuestionPointer, address, (uint)ttl.Ns);
                    (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? own.A : own.Aaaa).Add(self);
                }
            }

            var zone = new DnsZone(apexText, apex, soaAnswer, soaNegative, new RecordSet(DnsRecordEncoder.Concat(ns), ns.Count), new RecordSet(DnsRecordEncoder.Concat(glue), glue.Count));
            zones[apex] = zone;

            var kinds = new Dictionary<string, DnsNameKind>(StringComparer.Ordinal) { [apexText] = DnsNameKind.Apex };
            foreach (var host in z.Hosts)
            {
                AddName(kinds, z.Qualify(host), DnsNameKind.Steered, apexText);
            }

            foreach (var host in nsA.Keys)
            {
                AddName(kinds, host, DnsNameKind.NameServer, apexText);
            }

            foreach (var (name, kind) in kinds)
            {
                var a = RecordSet.Empty;
                var aaaa = RecordSet.Empty;
                if (nsA.TryGetValue(name, out var own) && (kind & DnsNameKind.Steered) == 0)
                {
                    a = new RecordSet(DnsRecordEncoder.Concat(own.A), own.A.Count);
                    aaaa = new RecordSet(DnsRecordEncoder.Concat(own.Aaaa), own.Aaaa.Count);
                }

                names[DnsName.FromText(name)] = new DnsNameEntry(zone, kind, a, aaaa);
            }
        }

        return new DnsZoneSet(names, zones);
    }

    private static void AddName(Dictionary<string, DnsNameKind> kinds, string name, DnsNameKind kind, string apex)
    {
        kinds[name] = kinds.TryGetValue(name, out var existing) ? existing | kind : kind;

        // Every name between it and the apex exists too (empty non-terminals answer NODATA, not NXDOMAIN).
        var parent = name;
        while (true)
        {
            var dot = parent.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                break;
            }

            parent = parent[(dot + 1)..];
            if (parent.Length <= apex.Length)
            {
                break;
            }

            kinds.TryAdd(parent, DnsNameKind.Empty);
        }
    }
}
