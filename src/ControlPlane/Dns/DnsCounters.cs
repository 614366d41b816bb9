namespace Cdn.ControlPlane.Dns;

/// <summary>
/// Per-worker query counters. A UDP thread owns its instance (plain increments, no contention); the TCP
/// server shares one and increments atomically. <see cref="DnsMetrics"/> sums all of them at scrape time,
/// so counting a packet is an array increment rather than a trip through a metrics listener.
/// </summary>
internal sealed class DnsCounters
{
    public const int Transports = 2;
    public const int Codes = 8;
    public const int Types = 8;
    public const int MaxSources = 256;

    private readonly bool _shared;

    public DnsCounters(bool shared) => _shared = shared;

    /// <summary>[transport, response code index, query type index].</summary>
    public long[] Queries { get; } = new long[Transports * Codes * Types];

    /// <summary>Steered answers by source label index (see <see cref="Steering.AnswerSourceLabels"/>).</summary>
    public long[] Answers { get; } = new long[MaxSources];

    public long[] ClientSubnet { get; } = new long[1];

    public long[] Truncated { get; } = new long[1];

    public long[] Dropped { get; } = new long[1];

    public void CountQuery(DnsTransport transport, int code, ushort type)
        => Increment(ref Queries[((((int)transport * Codes) + CodeIndex(code)) * Types) + TypeIndex(type)]);

    public void CountAnswer(int source) => Increment(ref Answers[(uint)source < MaxSources ? source : MaxSources - 1]);

    public void CountClientSubnet() => Increment(ref ClientSubnet[0]);

    public void CountTruncated() => Increment(ref Truncated[0]);

    public void CountDropped() => Increment(ref Dropped[0]);

    /// <summary>Label of a response code index.</summary>
    public static string CodeName(int index) => index switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "BADVERS",
        _ => "OTHER",
    };

    /// <summary>Label of a query type index.</summary>
    public static string TypeName(int index) => index switch
    {
        0 => "A",
        1 => "AAAA",
        2 => "NS",
        3 => "SOA",
        4 => "ANY",
        5 => "AXFR",
        6 => "NONE",
        _ => "OTHER",
    };

    private static int CodeIndex(int code) => code switch
    {
        <= 5 and >= 0 => code,
        16 => 6,
        _ => 7,
    };

    private static int TypeIndex(ushort type) => type switch
    {
        Wire.DnsRecordType.A => 0,
        Wire.DnsRecordType.Aaaa => 1,
        Wire.DnsRecordType.Ns => 2,
        Wire.DnsRecordType.Soa => 3,
        Wire.DnsRecordType.Any => 4,
        Wire.DnsRecordType.Axfr or Wire.DnsRecordType.Ixfr => 5,
        0 => 6,
        _ => 7,
    };

    private void Increment(ref long counter)
    {
        if (_shared)
        {
            Interlocked.Increment(ref counter);
        }
        else
        {
            counter++;
        }
    }
}
