using System.Buffers.Binary;

namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>
/// Parses a query without allocating: header, exactly one question, no answer or authority records, and an
/// additional section of at most one OPT (RFC 6891) whose ECS option (RFC 7871) is validated. Every length
/// is checked against the message bounds.
/// </summary>
internal static class DnsQueryParser
{
    private const int MaxAdditional = 8;

    /// <summary>
    /// Parses <paramref name="message"/>; the question name goes to <paramref name="original"/> and
    /// <paramref name="lower"/> (each at least <see cref="DnsName.MaxLength"/> bytes).
    /// </summary>
    public static DnsParseStatus Parse(ReadOnlySpan<byte> message, Span<byte> original, Span<byte> lower, out DnsQuery query)
    {
        query = default;
        if (message.Length < DnsHeader.Length || DnsHeader.IsResponse(message))
        {
            return DnsParseStatus.Drop;
        }

        query.Opcode = DnsHeader.Opcode(message);
        if (query.Opcode != 0)
        {
            return DnsParseStatus.NotImplemented;
        }

        if (DnsHeader.QuestionCount(message) != 1 || DnsHeader.AnswerCount(message) != 0 || DnsHeader.AuthorityCount(message) != 0)
        {
            return DnsParseStatus.FormatError;
        }

        var nameLength = DnsName.Read(message, DnsHeader.Length, original, lower, out var position);
        if (nameLength < 0 || position + 4 > message.Length)
        {
            return DnsParseStatus.FormatError;
        }

        query.NameLength = nameLength;
        query.Type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        query.Class = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
        position += 4;
        query.QuestionEnd = position;

        int additional = DnsHeader.AdditionalCount(message);
        if (additional > MaxAdditional)
        {
            return DnsParseStatus.FormatError;
        }

        for (var i = 0; i < additional; i++)
        {
            var nameStart = position;
            position = DnsName.Skip(message, position);
            if (position < 0 || position + 10 > message.Length)
            {
                return DnsParseStatus.FormatError;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
            var rdata = position + 10;
            if (rdata + rdLength > message.Length)
            {
                return DnsParseStatus.FormatError;
            }

            if (type == DnsRecordType.Opt)
            {
                // One OPT, owned by the root (RFC 6891 §6.1.1).
                if (query.HasEdns || message[nameStart] != 0)
                {
                    return DnsParseStatus.FormatError;
                }

                query.HasEdns = true;
                query.EdnsPayloadSize = Math.Max((ushort)512, BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]));
                query.EdnsVersion = message[position + 5];
                query.DnssecOk = (message[position + 6] & 0x80) != 0;
                if (!ParseOptions(message.Slice(rdata, rdLength), ref query))
                {
                    return DnsParseStatus.FormatError;
                }
            }

            position = rdata + rdLength;
        }

        return position == message.Length ? DnsParseStatus.Ok : DnsParseStatus.FormatError;
    }

    private static bool ParseOptions(ReadOnlySpan<byte> options, ref DnsQuery query)
    {
        var position = 0;
        while (position < options.Length)
        {
            if (position + 4 > options.Length)
            {
                return false;
            }

            var code = BinaryPrimitives.ReadUInt16BigEndian(options[position..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(options[(position + 2)..]);
            position += 4;
            if (position + length > options.Length)
            {
                return false;
            }

            if (code == ClientSubnet.OptionCode)
            {
                if (query.HasClientSubnet || !TryParseClientSubnet(options.Slice(position, length), out query.ClientSubnet))
                {
                    return false;
                }

                query.HasClientSubnet = true;
            }

            position += length;
        }

        return true;
    }

    /// <summary>RFC 7871 §6/§7.1.2: bad family, prefix too long, wrong address length or stray bits are FORMERR.</summary>
    private static bool TryParseClientSubnet(ReadOnlySpan<byte> data, out ClientSubnet subnet)
    {
        subnet = default;
        if (data.Length < 4)
        {
            return false;
        }

        var family = BinaryPrimitives.ReadUInt16BigEndian(data);
        var source = data[2];
        int maxBits = family switch
        {
            ClientSubnet.FamilyIPv4 => 32,
            ClientSubnet.FamilyIPv6 => 128,
            _ => -1,
        };
        if (maxBits < 0 || source > maxBits)
        {
            return false;
        }

        var addressBytes = data[4..];
        if (addressBytes.Length != (source + 7) / 8)
        {
            return false;
        }

        Span<byte> full = stackalloc byte[16];
        full.Clear();
        addressBytes.CopyTo(full);
        var address = BinaryPrimitives.ReadUInt128BigEndian(full);
        var mask = source == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - source);
        if ((address & ~mask) != UInt128.Zero)
        {
            return false; // bits beyond the source prefix must be zero
        }

        subnet = new ClientSubnet(family, source, address);
        return true;
    }
}
