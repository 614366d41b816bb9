using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Cdn.ControlPlane.CoverageZones;

namespace Cdn.ControlPlane.Dns;

/// <summary>The address a query came from (the resolver), as trie bits. IPv4-mapped IPv6 counts as IPv4.</summary>
internal readonly struct ClientAddress
{
    public ClientAddress(bool isIPv6, UInt128 bits)
    {
        IsIPv6 = isIPv6;
        Bits = bits;
    }

    public bool IsIPv6 { get; }

    public UInt128 Bits { get; }

    public static ClientAddress From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new ClientAddress(address.AddressFamily == AddressFamily.InterNetworkV6, AddressBits.From(address));
    }

    /// <summary>
    /// Reads a raw socket address without allocating. Linux layout: family (2), port (2), then IPv4 (4) or
    /// flow info (4) and IPv6 (16).
    /// </summary>
    public static ClientAddress From(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.Buffer.Span;
        if (address.Family == AddressFamily.InterNetworkV6 && bytes.Length >= 24)
        {
            var v6 = bytes.Slice(8, 16);
            if (BinaryPrimitives.ReadUInt64BigEndian(v6) == 0 && BinaryPrimitives.ReadUInt32BigEndian(v6[8..]) == 0xFFFF)
            {
                return new ClientAddress(false, AddressBits.FromIPv4(v6[12..]));
            }

            return new ClientAddress(true, AddressBits.FromIPv6(v6));
        }

        return bytes.Length >= 8 ? new ClientAddress(false, AddressBits.FromIPv4(bytes.Slice(4, 4))) : default;
    }

    /// <summary>From a raw Linux sockaddr (sa_family in host order: 2 = AF_INET, 10 = AF_INET6).</summary>
    public static ClientAddress FromSockaddr(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < 8)
        {
            return default;
        }

        var family = BitConverter.ToUInt16(sockaddr);
        if (family == 10 && sockaddr.Length >= 24)
        {
            var v6 = sockaddr.Slice(8, 16);
            if (BinaryPrimitives.ReadUInt64BigEndian(v6) == 0 && BinaryPrimitives.ReadUInt32BigEndian(v6[8..]) == 0xFFFF)
            {
                return new ClientAddress(false, AddressBits.FromIPv4(v6[12..]));
            }

            return new ClientAddress(true, AddressBits.FromIPv6(v6));
        }

        return new ClientAddress(false, AddressBits.FromIPv4(sockaddr.Slice(4, 4)));
    }
}
