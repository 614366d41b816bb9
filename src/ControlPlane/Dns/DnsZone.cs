using Cdn.ControlPlane.Dns.Wire;

namespace Cdn.ControlPlane.Dns;

/// <summary>One zone's pre-encoded records. SOA and NS are stored without their owner so they can follow a pointer.</summary>
internal sealed class DnsZone
{
    public DnsZone(string name, byte[] apex, byte[] soaAnswer, byte[] soaNegative, RecordSet nameServers, RecordSet glue)
    {
        Name = name;
        Apex = apex;
        SoaAnswer = soaAnswer;
        SoaNegative = soaNegative;
        NameServers = nameServers;
        Glue = glue;
    }

    public string Name { get; }

    /// <summary>Apex name in lower-case wire form.</summary>
    public byte[] Apex { get; }

    /// <summary>SOA type..RDATA with the SOA TTL (answers at the apex); prefix an owner.</summary>
    public byte[] SoaAnswer { get; }

    /// <summary>SOA type..RDATA with the negative TTL (authority section of NXDOMAIN/NODATA, RFC 2308 §3).</summary>
    public byte[] SoaNegative { get; }

    /// <summary>NS records owned by a pointer to the question (asked at the apex).</summary>
    public RecordSet NameServers { get; }

    /// <summary>A/AAAA of in-zone name servers with full owner names, for the additional section.</summary>
    public RecordSet Glue { get; }
}
