namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>
/// An EDNS Client Subnet option as received (RFC 7871 §6): family, source prefix, and the address bits
/// aligned to the top of a 128-bit value (IPv4 in the top 32 bits).
/// </summary>
internal readonly struct ClientSubnet
{
    public const ushort OptionCode = 8;
    public const ushort FamilyIPv4 = 1;
    public const ushort FamilyIPv6 = 2;

    public ClientSubnet(ushort family, byte sourcePrefix, UInt128 address)
    {
        Family = family;
        SourcePrefix = sourcePrefix;
        Address = address;
    }

    public ushort Family { get; }

    public byte SourcePrefix { get; }

    public UInt128 Address { get; }

    public bool IsIPv6 => Family == FamilyIPv6;

    /// <summary>Bytes of address the option carries for <see cref="SourcePrefix"/> (RFC 7871 §6: no more than needed).</summary>
    public int AddressLength => (SourcePrefix + 7) / 8;

    /// <summary>Length of the option's data (family, two prefixes, address).</summary>
    public int DataLength => 4 + AddressLength;
}
