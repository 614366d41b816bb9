using System.Buffers.Binary;
using System.Text;

namespace Packager.Hls;

/// <summary>
/// RFC 6381 codec strings read from an fMP4 init segment's sample description: <c>avc1.PPCCLL</c> from the
/// avcC record (profile, constraint flags and level as the encoder wrote them into the SPS),
/// <c>hvc1.…</c> from hvcC (ISO/IEC 14496-15 annex E), <c>mp4a.40.N</c> from the esds audio object type.
/// Reading the real bytes beats guessing from settings: x264 picks the level itself.
/// </summary>
internal static class CodecStrings
{
    private static readonly HashSet<string> Containers = ["moov", "trak", "mdia", "minf", "stbl"];

    /// <summary>The codec string of every track in <paramref name="init"/>, in track order.</summary>
    public static IReadOnlyList<string> FromInitSegment(ReadOnlySpan<byte> init)
    {
        var found = new List<string>();
        Walk(init, found);
        return found;
    }

    /// <summary>The codec string of the single track in the init segment at <paramref name="path"/>.</summary>
    public static string FromInitFile(string path)
    {
        var codecs = FromInitSegment(File.ReadAllBytes(path));
        return codecs.Count == 1 ? codecs[0] : throw new FormatException($"{path}: expected one track with a known codec, found {codecs.Count}");
    }

    private static void Walk(ReadOnlySpan<byte> data, List<string> found)
    {
        while (NextBox(ref data, out var type, out var body))
        {
            if (Containers.Contains(type))
            {
                Walk(body, found);
            }
            else if (type == "stsd" && body.Length >= 8)
            {
                var entries = body[8..]; // version/flags, entry_count
                if (NextBox(ref entries, out var entryType, out var entry) && SampleEntry(entryType, entry) is { } codec)
                {
                    found.Add(codec);
                }
            }
        }
    }

    private static string? SampleEntry(string type, ReadOnlySpan<byte> entry)
    {
        switch (type)
        {
            case "avc1" or "avc3" or "hvc1" or "hev1":
                if (entry.Length < 78)
                {
                    return null;
                }

                var children = entry[78..]; // SampleEntry (8) + VisualSampleEntry fields (70)
                while (NextBox(ref children, out var child, out var body))
                {
                    if (child == "avcC" && type.StartsWith("avc", StringComparison.Ordinal))
                    {
                        return Avc(type, body);
                    }

                    if (child == "hvcC" && type.StartsWith('h'))
                    {
                        return Hevc(type, body);
                    }
                }

                return null;
            case "mp4a":
                if (entry.Length < 28)
                {
                    return null;
                }

                var audioChildren = entry[28..]; // SampleEntry (8) + AudioSampleEntry v0 fields (20)
                while (NextBox(ref audioChildren, out var child, out var body))
                {
                    if (child == "esds")
                    {
                        return Mp4a(body);
                    }
                }

                return "mp4a";
            default:
                return null;
        }
    }

    /// <summary><c>avc1.PPCCLL</c>: AVCProfileIndication, profile_compatibility, AVCLevelIndication in hex.</summary>
    internal static string Avc(string entry, ReadOnlySpan<byte> avcC)
    {
        if (avcC.Length < 4)
        {
            throw new FormatException("avcC record too short");
        }

        return $"{entry}.{avcC[1]:x2}{avcC[2]:x2}{avcC[3]:x2}";
    }

    /// <summary><c>hvc1.[A-C]P.FLAGS.[LH]L.CC</c> per ISO/IEC 14496-15 E.3.</summary>
    internal static string Hevc(string entry, ReadOnlySpan<byte> hvcC)
    {
        if (hvcC.Length < 13)
        {
            throw new FormatException("hvcC record too short");
        }

        var profileSpace = hvcC[1] >> 6;
        var tier = (hvcC[1] >> 5) & 1;
        var profileIdc = hvcC[1] & 0x1f;
        var compatibility = BinaryPrimitives.ReadUInt32BigEndian(hvcC[2..6]);
        uint reversed = 0;
        for (var bit = 0; bit < 32; bit++)
        {
            reversed |= ((compatibility >> bit) & 1) << (31 - bit);
        }

        var level = hvcC[12];
        var text = new StringBuilder();
        text.Append(entry).Append('.');
        if (profileSpace > 0)
        {
            text.Append((char)('A' + profileSpace - 1));
        }

        text.Append(profileIdc).Append('.').Append(reversed.ToString("X", System.Globalization.CultureInfo.InvariantCulture));
        text.Append('.').Append(tier == 1 ? 'H' : 'L').Append(level);
        var constraints = hvcC[6..12];
        var last = constraints.Length - 1;
        while (last >= 0 && constraints[last] == 0)
        {
            last--;
        }

        for (var i = 0; i <= last; i++)
        {
            text.Append('.').Append(constraints[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary><c>mp4a.OO.A</c>: object type indication (hex) and, for MPEG-4 audio, the audio object type.</summary>
    internal static string Mp4a(ReadOnlySpan<byte> esds)
    {
        var data = esds.Length > 4 ? esds[4..] : [];
        byte? objectType = null;
        while (data.Length >= 2)
        {
            var tag = data[0];
            data = data[1..];
            var length = 0;
            for (var i = 0; i < 4 && data.Length > 0; i++)
            {
                var b = data[0];
                data = data[1..];
                length = (length << 7) | (b & 0x7f);
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            if (tag == 0x03)
            {
                // ES_Descriptor: ES_ID(2) + flags(1) [+ dependsOn(2)] [+ URL] [+ OCR_ES_Id(2)], then children.
                if (data.Length < 3)
                {
                    break;
                }

                var flags = data[2];
                var skip = 3 + ((flags & 0x80) != 0 ? 2 : 0) + ((flags & 0x20) != 0 ? 2 : 0);
                if ((flags & 0x40) != 0 && data.Length > skip)
                {
                    skip += 1 + data[skip];
                }

                data = data[Math.Min(skip, data.Length)..];
            }
            else if (tag == 0x04)
            {
                // DecoderConfigDescriptor: objectTypeIndication(1) streamType(1) bufferSize(3) maxBitrate(4) avgBitrate(4).
                if (data.Length < 13)
                {
                    break;
                }

                objectType = data[0];
                data = data[13..];
            }
            else if (tag == 0x05)
            {
                if (objectType is null || length < 1 || data.Length < 1)
                {
                    break;
                }

                var aot = data[0] >> 3;
                if (aot == 31 && data.Length >= 2)
                {
                    aot = 32 + (((data[0] & 0x07) << 3) | (data[1] >> 5));
                }

                return $"mp4a.{objectType.Value:x2}.{aot}";
            }
            else
            {
                data = data[Math.Min(length, data.Length)..];
            }
        }

        return objectType is { } oti ? $"mp4a.{oti:x2}" : "mp4a.40.2";
    }

    private static bool NextBox(ref ReadOnlySpan<byte> data, out string type, out ReadOnlySpan<byte> body)
    {
        type = "";
        body = default;
        if (data.Length < 8)
        {
            return false;
        }

        long size = BinaryPrimitives.ReadUInt32BigEndian(data);
        var header = 8;
        if (size == 1)
        {
            if (data.Length < 16)
            {
                return false;
            }

            size = (long)BinaryPrimitives.ReadUInt64BigEndian(data[8..]);
            header = 16;
        }
        else if (size == 0)
        {
            size = data.Length;
        }

        if (size < header || size > data.Length)
        {
            return false;
        }

        type = System.Text.Encoding.ASCII.GetString(data.Slice(4, 4));
        body = data[header..(int)size];
        data = data[(int)size..];
        return true;
    }
}
