using System.Buffers.Binary;
using System.Net;
using Cdn.ControlPlane.Dns.Wire;

namespace Cdn.ControlPlane.Tests.Support;

/// <summary>One resource record as parsed from a reply.</summary>
public sealed record DnsRecord(string Name, ushort Type, ushort Class, uint Ttl, byte[] Data)
{
    public IPAddress Address => new(Data);
}

/// <summary>
/// A strict parser of whole DNS messages for tests: every section, every length checked, names through the
/// server's own compression-safe reader. Throws <see cref="FormatException"/> on anything malformed.
/// </summary>
public sealed class DnsMessage
{
    public ushort Id { get; private init; }

    public bool IsResponse { get; private init; }

    public bool Authoritative { get; private init; }

    public bool Truncated { get; private init; }

    public bool RecursionDesired { get; private init; }

    /// <summary>Full response code (extended bits from OPT included).</summary>
    public int ResponseCode { get; private init; }

    public List<(string Name, ushort Type, ushort Class)> Questions { get; } = [];

    public List<DnsRecord> Answers { get; } = [];

    public List<DnsRecord> Authority { get; } = [];

    public List<DnsRecord> Additional { get; } = [];

    public DnsRecord? Opt => Additional.Find(r => r.Type == DnsRecordType.Opt);

    /// <summary>The ECS option of the OPT record: family, source, scope, address bytes.</summary>
    public (ushort Family, byte Source, byte Scope, byte[] Address)? ClientSubnet
    {
        get
        {
            var data = Opt?.Data;
            var p = 0;
            while (data is not null && p + 4 <= data.Length)
            {
                var code = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(p));
                var length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(p + 2));
                if (code == 8)
                {
                    var o = data.AsSpan(p + 4, length);
                    return (BinaryPrimitives.ReadUInt16BigEndian(o), o[2], o[3], o[4..].ToArray());
                }

                p += 4 + length;
            }

            return null;
        }
    }

    public static DnsMessage Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < 12)
        {
            throw new FormatException("shorter than a header");
        }

        var counts = new int[4];
        for (var i = 0; i < 4; i++)
        {
            counts[i] = BinaryPrimitives.ReadUInt16BigEndian(message[(4 + (2 * i))..]);
        }

        var position = 12;
        var questions = new List<(string, ushort, ushort)>();
        for (var i = 0; i < counts[0]; i++)
        {
            var name = ReadName(message, ref position);
            Need(message, position, 4);
            questions.Add((name, BinaryPrimitives.ReadUInt16BigEndian(message[position..]), BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..])));
            position += 4;
        }

        var sections = new List<DnsRecord>[3];
        for (var s = 0; s < 3; s++)
        {
            sections[s] = [];
            for (var i = 0; i < counts[s + 1]; i++)
            {
                var name = ReadName(message, ref position);
                Need(message, position, 10);
                var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
                var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
                var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(position + 4)..]);
                var length = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
                position += 10;
                Need(message, position, length);
                var data = message.Slice(position, length).ToArray();
                if (type == DnsRecordType.A && length != 4)
                {
                    throw new FormatException("A record with RDATA length " + length);
                }

                if (type == DnsRecordType.Aaaa && length != 16)
                {
                    throw new FormatException("AAAA record with RDATA length " + length);
                }

                if (type is DnsRecordType.Ns or DnsRecordType.Soa)
                {
                    var p = position;
                    ReadName(message, ref p);
                    if (type == DnsRecordType.Soa)
                    {
                        ReadName(message, ref p);
                        p += 20;
                    }

                    if (p != position + length)
                    {
                        throw new FormatException("RDATA length does not match its content");
                    }
                }

                sections[s].Add(new DnsRecord(name, type, @class, ttl, data));
                position += length;
            }
        }

        if (position != message.Length)
        {
            throw new FormatException($"{message.Length - position} bytes after the last record");
        }

        var opts = sections[2].FindAll(r => r.Type == DnsRecordType.Opt);
        if (opts.Count > 1)
        {
            throw new FormatException("more than one OPT");
        }

        var code = message[3] & 0x0F;
        if (opts.Count == 1)
        {
            code |= (int)(opts[0].Ttl >> 24) << 4;
        }

        var result = new DnsMessage
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(message),
            IsResponse = (message[2] & 0x80) != 0,
            Authoritative = (message[2] & 0x04) != 0,
            Truncated = (message[2] & 0x02) != 0,
            RecursionDesired = (message[2] & 0x01) != 0,
            ResponseCode = code,
        };
        result.Questions.AddRange(questions);
        result.Answers.AddRange(sections[0]);
        result.Authority.AddRange(sections[1]);
        result.Additional.AddRange(sections[2]);
        return result;
    }

    private static string ReadName(ReadOnlySpan<byte> message, ref int position)
    {
        Span<byte> a = stackalloc byte[DnsName.MaxLength];
        Span<byte> b = stackalloc byte[DnsName.MaxLength];
        var length = DnsName.Read(message, position, a, b, out var end);
        if (length < 0)
        {
            throw new FormatException($"bad name at offset {position}");
        }

        position = end;
        return DnsName.ToText(a[..length]);
    }

    private static void Need(ReadOnlySpan<byte> message, int position, int count)
    {
        if (position + count > message.Length)
        {
            throw new FormatException("record runs past the end of the message");
        }
    }
}
