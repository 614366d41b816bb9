namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>Resource record types (RFC 1035, 3596, 6891) the server reads or writes.</summary>
internal static class DnsRecordType
{
    public const ushort A = 1;
    public const ushort Ns = 2;
    public const ushort Cname = 5;
    public const ushort Soa = 6;
    public const ushort Aaaa = 28;
    public const ushort Opt = 41;
    public const ushort Ixfr = 251;
    public const ushort Axfr = 252;
    public const ushort Any = 255;
}
