using System.Text;

namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>
/// Domain names in wire form (length-prefixed labels, RFC 1035 §3.1). Reading follows compression pointers
/// safely: a pointer must point strictly before the label it replaces (so it cannot loop), inside the
/// message, and the expanded name may not exceed 255 bytes.
/// </summary>
internal static class DnsName
{
    /// <summary>Longest name in wire form, root label included.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// Reads the name at <paramref name="offset"/> into <paramref name="original"/> (as sent) and
    /// <paramref name="lower"/> (ASCII lower-cased, the lookup key), both uncompressed, root label included.
    /// <paramref name="end"/> is the offset just past the name in the message (past the first pointer).
    /// Returns the name length or -1 when malformed.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> message, int offset, Span<byte> original, Span<byte> lower, out int end)
    {
        end = -1;
        var written = 0;
        var position = offset;
        var lowestSeen = offset; // pointers must go strictly backwards from here
        while (true)
        {
            if ((uint)position >= (uint)message.Length)
            {
                return -1;
            }

            int length = message[position];
            switch (length & 0xC0)
            {
                case 0x00:
                    if (written + length + 1 > MaxLength || position + 1 + length > message.Length)
                    {
                        return -1;
                    }

                    original[written] = (byte)length;
                    lower[written] = (byte)length;
                    written++;
                    if (length == 0)
                    {
                        if (end < 0)
                        {
                            end = position + 1;
                        }

                        return written;
                    }

                    var label = message.Slice(position + 1, length);
                    label.CopyTo(original[written..]);
                    for (var i = 0; i < label.Length; i++)
                    {
                        var c = label[i];
                        lower[written + i] = c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
                    }

                    written += length;
                    position += 1 + length;
                    break;
                case 0xC0:
                    if (position + 1 >= message.Length)
                    {
                        return -1;
                    }

                    var target = ((length & 0x3F) << 8) | message[position + 1];
                    if (end < 0)
                    {
                        end = position + 2;
                    }

                    if (target >= lowestSeen)
                    {
                        return -1; // forward or self pointer: could loop
                    }

                    lowestSeen = target;
                    position = target;
                    break;
                default:
                    return -1; // 0x40 / 0x80: extended label types, obsolete
            }
        }
    }

    /// <summary>Skips the name at <paramref name="offset"/>; returns the offset past it or -1.</summary>
    public static int Skip(ReadOnlySpan<byte> message, int offset)
    {
        Span<byte> a = stackalloc byte[MaxLength];
        Span<byte> b = stackalloc byte[MaxLength];
        return Read(message, offset, a, b, out var end) < 0 ? -1 : end;
    }

    /// <summary>Converts a presentation name (<c>video.cdn.test</c>, trailing dot optional) to lower-case wire form.</summary>
    /// <exception cref="FormatException">A label is empty or longer than 63 bytes, or the name is too long.</exception>
    public static byte[] FromText(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim().TrimEnd('.').ToLowerInvariant();
        if (trimmed.Length == 0)
        {
            return [0];
        }

        var labels = trimmed.Split('.');
        var buffer = new List<byte>(trimmed.Length + 2);
        foreach (var label in labels)
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63)
            {
                throw new FormatException($"'{name}' is not a valid DNS name: labels must be 1 to 63 characters");
            }

            foreach (var c in bytes)
            {
                if (c is <= 0x20 or >= 0x7F)
                {
                    throw new FormatException($"'{name}' is not a valid DNS name: unexpected character");
                }
            }

            buffer.Add((byte)bytes.Length);
            buffer.AddRange(bytes);
        }

        buffer.Add(0);
        if (buffer.Count > MaxLength)
        {
            throw new FormatException($"'{name}' is longer than 255 bytes in wire form");
        }

        return [.. buffer];
    }

    /// <summary>Presentation form of a wire name (for logs and tests), e.g. <c>video.cdn.test.</c>.</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        var text = new StringBuilder();
        var position = 0;
        while (position < wire.Length && wire[position] != 0)
        {
            int length = wire[position];
            if (position + 1 + length > wire.Length)
            {
                break;
            }

            foreach (var c in wire.Slice(position + 1, length))
            {
                if (c is (byte)'.' or (byte)'\\' || c <= 0x20 || c >= 0x7F)
                {
                    text.Append('\\').Append(((int)c).ToString("D3"));
                }
                else
                {
                    text.Append((char)c);
                }
            }

            text.Append('.');
            position += 1 + length;
        }

        return text.Length == 0 ? "." : text.ToString();
    }

    /// <summary>
    /// Offset of each label start in a wire name (0 for the name itself, then each parent), stopping before
    /// the root. Returns how many were written.
    /// </summary>
    public static int LabelOffsets(ReadOnlySpan<byte> wire, Span<int> offsets)
    {
        var count = 0;
        var position = 0;
        while (position < wire.Length && wire[position] != 0 && count < offsets.Length)
        {
            offsets[count++] = position;
            position += 1 + wire[position];
        }

        return count;
    }
}
