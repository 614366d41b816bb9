using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Cdn.ControlPlane.CoverageZones;

/// <summary>Addresses as top-aligned 128-bit values (IPv4 in the top 32 bits), the trie's key form.</summary>
internal static class AddressBits
{
    public static UInt128 From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static UInt128 FromIPv4(ReadOnlySpan<byte> four) => (UInt128)BinaryPrimitives.ReadUInt32BigEndian(four) << 96;

    public static UInt128 FromIPv6(ReadOnlySpan<byte> sixteen) => BinaryPrimitives.ReadUInt128BigEndian(sixteen);

    public static UInt128 Mask(UInt128 bits, int length) => length == 0 ? UInt128.Zero : bits & (UInt128.MaxValue << (128 - length));

    /// <summary>The address back as text, for the API and logs.</summary>
    public static IPAddress ToAddress(UInt128 bits, AddressFamily family)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        return family == AddressFamily.InterNetwork ? new IPAddress(bytes[..4]) : new IPAddress(bytes);
    }
}
