using System.Buffers.Binary;
using Cdn.ControlPlane.Dns.Wire;

namespace Cdn.ControlPlane.Tests.Support;

/// <summary>Builds query packets for tests and the fuzzer.</summary>
public static class DnsQueryBuilder
{
    /// <summary>A query; <paramref name="name"/> is sent with the case given.</summary>
    public static byte[] Query(string name, ushort type, ushort id = 0x1234, bool edns = false, ushort payload = 1232, byte version = 0,
        (ushort Family, byte Source, byte[] Address)? subnet = null, byte scope = 0, bool dnssecOk = false)
    {
        var bytes = new List<byte>();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        header[2] = 0x01; // RD
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)(edns || subnet is not null ? 1 : 0));
        bytes.AddRange(header);
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        bytes.Add((byte)(type >> 8));
        bytes.Add((byte)type);
        bytes.Add(0);
        bytes.Add(1);
        if (edns || subnet is not null)
        {
            var options = new List<byte>();
            if (subnet is { } s)
            {
                var data = new byte[4 + s.Address.Length];
                BinaryPrimitives.WriteUInt16BigEndian(data, s.Family);
                data[2] = s.Source;
                data[3] = scope;
                s.Address.CopyTo(data, 4);
                options.Add(0);
                options.Add(8);
                options.Add((byte)(data.Length >> 8));
                options.Add((byte)data.Length);
                options.AddRange(data);
            }

            bytes.Add(0);
            bytes.AddRange([(byte)(DnsRecordType.Opt >> 8), (byte)DnsRecordType.Opt]);
            bytes.AddRange([(byte)(payload >> 8), (byte)payload]);
            bytes.AddRange([0, version, dnssecOk ? (byte)0x80 : (byte)0, 0]);
            bytes.AddRange([(byte)(options.Count >> 8), (byte)options.Count]);
            bytes.AddRange(options);
        }

        return [.. bytes];
    }

    /// <summary>An IPv4 ECS option value for <c>a.b.c.d/source</c>.</summary>
    public static (ushort, byte, byte[]) Subnet4(string address, byte source)
    {
        var bytes = System.Net.IPAddress.Parse(address).GetAddressBytes();
        return (1, source, bytes[..((source + 7) / 8)]);
    }

    /// <summary>An IPv6 ECS option value.</summary>
    public static (ushort, byte, byte[]) Subnet6(string address, byte source)
    {
        var bytes = System.Net.IPAddress.Parse(address).GetAddressBytes();
        return (2, source, bytes[..((source + 7) / 8)]);
    }
}
