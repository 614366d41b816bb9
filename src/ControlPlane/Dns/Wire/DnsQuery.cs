namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>What the parser found in a query. The question name lives in the caller's buffers.</summary>
internal struct DnsQuery
{
    /// <summary>Opcode from the header (0 = QUERY).</summary>
    public int Opcode;

    /// <summary>Length of the question name in wire form (in the caller's buffers); 0 when no question was read.</summary>
    public int NameLength;

    /// <summary>Offset just past the question section in the query.</summary>
    public int QuestionEnd;

    public ushort Type;

    public ushort Class;

    /// <summary>The query carried an OPT record that parsed.</summary>
    public bool HasEdns;

    public byte EdnsVersion;

    /// <summary>Requestor's UDP payload size from OPT (at least 512 when present).</summary>
    public ushort EdnsPayloadSize;

    /// <summary>DNSSEC OK bit, echoed (RFC 3225).</summary>
    public bool DnssecOk;

    public bool HasClientSubnet;

    public ClientSubnet ClientSubnet;
}
