using System.Buffers.Binary;

namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>Offsets and bits of the 12-byte message header (RFC 1035 §4.1.1).</summary>
internal static class DnsHeader
{
    public const int Length = 12;

    /// <summary>A compression pointer to offset 12: the question name, always first in our replies.</summary>
    public const ushort PointerToQuestion = 0xC00C;

    public const byte QrBit = 0x80;
    public const byte AaBit = 0x04;
    public const byte TcBit = 0x02;
    public const byte RdBit = 0x01;
    public const byte CdBit = 0x10;
    public const byte AdBit = 0x20;

    public static ushort Id(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static int Opcode(ReadOnlySpan<byte> message) => (message[2] >> 3) & 0x0F;

    public static bool IsResponse(ReadOnlySpan<byte> message) => (message[2] & QrBit) != 0;

    public static bool IsTruncated(ReadOnlySpan<byte> message) => (message[2] & TcBit) != 0;

    public static bool IsAuthoritative(ReadOnlySpan<byte> message) => (message[2] & AaBit) != 0;

    public static int ResponseCode(ReadOnlySpan<byte> message) => message[3] & 0x0F;

    public static ushort QuestionCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[4..]);

    public static ushort AnswerCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[6..]);

    public static ushort AuthorityCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[8..]);

    public static ushort AdditionalCount(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[10..]);

    /// <summary>Writes a reply header: id and RD/CD echoed from the query, QR set.</summary>
    public static void WriteReply(Span<byte> output, ReadOnlySpan<byte> query, int opcode, bool authoritative, bool truncated, DnsResponseCode code, int qd, int an, int ns, int ar)
    {
        output[0] = query[0];
        output[1] = query[1];
        var flags = (byte)(QrBit | ((opcode & 0x0F) << 3) | (query[2] & RdBit));
        if (authoritative)
        {
            flags |= AaBit;
        }

        if (truncated)
        {
            flags |= TcBit;
        }

        output[2] = flags;
        output[3] = (byte)((query[3] & CdBit) | ((int)code & 0x0F));
        BinaryPrimitives.WriteUInt16BigEndian(output[4..], (ushort)qd);
        BinaryPrimitives.WriteUInt16BigEndian(output[6..], (ushort)an);
        BinaryPrimitives.WriteUInt16BigEndian(output[8..], (ushort)ns);
        BinaryPrimitives.WriteUInt16BigEndian(output[10..], (ushort)ar);
    }
}
