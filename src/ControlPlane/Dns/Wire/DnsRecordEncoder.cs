using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>
/// Encodes resource records when a zone or an answer view is built (not per packet). Owners are either a full
/// wire name or a two-byte compression pointer.
/// </summary>
internal static class DnsRecordEncoder
{
    /// <summary>The compression pointer to the question name as two bytes.</summary>
    public static ReadOnlySpan<byte> QuestionPointer => [0xC0, 0x0C];

    /// <summary>One record: owner, type, class IN, TTL, RDATA.</summary>
    public static byte[] Record(ReadOnlySpan<byte> owner, ushort type, uint ttl, ReadOnlySpan<byte> rdata)
    {
        var record = new byte[owner.Length + 10 + rdata.Length];
        owner.CopyTo(record);
        var p = owner.Length;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(p), type);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(p + 2), DnsClass.In);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(p + 4), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(p + 8), (ushort)rdata.Length);
        rdata.CopyTo(record.AsSpan(p + 10));
        return record;
    }

    /// <summary>An A or AAAA record for <paramref name="address"/> (the type follows the family).</summary>
    public static byte[] Address(ReadOnlySpan<byte> owner, IPAddress address, uint ttl)
    {
        ArgumentNullException.ThrowIfNull(address);
        var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A;
        return Record(owner, type, ttl, address.GetAddressBytes());
    }

    /// <summary>SOA RDATA (RFC 1035 §3.3.13), names uncompressed.</summary>
    public static byte[] SoaData(byte[] primary, byte[] mailbox, uint serial, uint refresh, uint retry, uint expire, uint minimum)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(mailbox);
        var data = new byte[primary.Length + mailbox.Length + 20];
        primary.CopyTo(data, 0);
        mailbox.CopyTo(data, primary.Length);
        var p = primary.Length + mailbox.Length;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(p), serial);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(p + 4), refresh);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(p + 8), retry);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(p + 12), expire);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(p + 16), minimum);
        return data;
    }

    /// <summary>Concatenates records into one section image.</summary>
    public static byte[] Concat(IReadOnlyList<byte[]> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var total = 0;
        foreach (var r in records)
        {
            total += r.Length;
        }

        var all = new byte[total];
        var p = 0;
        foreach (var r in records)
        {
            r.CopyTo(all, p);
            p += r.Length;
        }

        return all;
    }
}
