using System.Buffers.Binary;

namespace Cdn.Caching.Index;

/// <summary>
/// Binary form of <see cref="CacheEntry"/> in the index: a fixed little-endian header, then the variable
/// fields, each with a 16-bit length. Versioned so a future layout can read old records.
/// </summary>
internal static class CacheEntryCodec
{
    private const byte Version = 1;

    // version(1) flags(1) status(2) volume(1) contentTypeCode(1) reserved(2) bodyId(8) length(8)
    // responseTime(8) initialAge(4) freshness(4) swr(4) sie(4) lastModified(8) = 56, then 5 lengths (2 each).
    // A content type with a code (ContentTypes) is stored as that byte and its text length is 0.
    private const int FixedSize = 66;

    public static int SizeOf(CacheEntry e)
        => FixedSize + e.Key.Length + (ContentTypes.Encode(e.ContentType) != 0 ? 0 : e.ContentType.Length) + e.ETag.Length + e.Headers.Length + e.Vary.Length;

    public static int Write(CacheEntry e, Span<byte> destination)
    {
        var size = SizeOf(e);
        if (destination.Length < size)
        {
            throw new ArgumentException("destination too small", nameof(destination));
        }

        CheckLength(e.Key.Length, "key");
        CheckLength(e.ContentType.Length, "content type");
        CheckLength(e.ETag.Length, "etag");
        CheckLength(e.Headers.Length, "headers");
        CheckLength(e.Vary.Length, "vary");
        destination[0] = Version;
        destination[1] = (byte)e.Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], (ushort)e.Status);
        var typeCode = ContentTypes.Encode(e.ContentType);
        var contentTypeText = typeCode != 0 ? [] : e.ContentType;
        destination[4] = e.Volume;
        destination[5] = typeCode;
        destination[6] = destination[7] = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], e.BodyId);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], e.Length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], e.ResponseTime);
        BinaryPrimitives.WriteInt32LittleEndian(destination[32..], e.InitialAge);
        BinaryPrimitives.WriteInt32LittleEndian(destination[36..], e.FreshnessLifetime);
        BinaryPrimitives.WriteInt32LittleEndian(destination[40..], e.StaleWhileRevalidate);
        BinaryPrimitives.WriteInt32LittleEndian(destination[44..], e.StaleIfError);
        BinaryPrimitives.WriteInt64LittleEndian(destination[48..], e.LastModified);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[56..], (ushort)e.Key.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[58..], (ushort)contentTypeText.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[60..], (ushort)e.ETag.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[62..], (ushort)e.Headers.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[64..], (ushort)e.Vary.Length);
        var at = FixedSize;
        foreach (var part in (ReadOnlySpan<byte[]>)[e.Key, contentTypeText, e.ETag, e.Headers, e.Vary])
        {
            part.CopyTo(destination[at..]);
            at += part.Length;
        }

        return size;
    }

    /// <summary>Reads just the key bytes of a record (for key comparison and scans without a full decode).</summary>
    public static ReadOnlySpan<byte> KeyOf(ReadOnlySpan<byte> record)
    {
        if (record.Length < FixedSize || record[0] != Version)
        {
            return default;
        }

        var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(record[56..]);
        return record.Length >= FixedSize + keyLength ? record.Slice(FixedSize, keyLength) : default;
    }

    /// <summary>Decodes a record; null when it is not a record this version understands or is truncated.</summary>
    public static CacheEntry? Read(ReadOnlySpan<byte> record)
    {
        if (record.Length < FixedSize || record[0] != Version)
        {
            return null;
        }

        Span<int> lengths = stackalloc int[5];
        var total = FixedSize;
        for (var i = 0; i < 5; i++)
        {
            lengths[i] = BinaryPrimitives.ReadUInt16LittleEndian(record[(56 + (2 * i))..]);
            total += lengths[i];
        }

        if (record.Length < total)
        {
            return null;
        }

        var at = FixedSize;
        var key = Take(record, lengths[0], ref at);
        var contentType = Take(record, lengths[1], ref at);
        if (record[5] != 0)
        {
            contentType = ContentTypes.Decode(record[5]) ?? [];
        }

        var etag = Take(record, lengths[2], ref at);
        var headers = Take(record, lengths[3], ref at);
        var vary = Take(record, lengths[4], ref at);
        return new CacheEntry
        {
            Flags = (EntryFlags)record[1],
            Status = BinaryPrimitives.ReadUInt16LittleEndian(record[2..]),
            Volume = record[4],
            BodyId = BinaryPrimitives.ReadUInt64LittleEndian(record[8..]),
            Length = BinaryPrimitives.ReadInt64LittleEndian(record[16..]),
            ResponseTime = BinaryPrimitives.ReadInt64LittleEndian(record[24..]),
            InitialAge = BinaryPrimitives.ReadInt32LittleEndian(record[32..]),
            FreshnessLifetime = BinaryPrimitives.ReadInt32LittleEndian(record[36..]),
            StaleWhileRevalidate = BinaryPrimitives.ReadInt32LittleEndian(record[40..]),
            StaleIfError = BinaryPrimitives.ReadInt32LittleEndian(record[44..]),
            LastModified = BinaryPrimitives.ReadInt64LittleEndian(record[48..]),
            Key = key,
            ContentType = contentType,
            ETag = etag,
            Headers = headers,
            Vary = vary,
        };
    }

    private static byte[] Take(ReadOnlySpan<byte> record, int length, ref int position)
    {
        var bytes = length == 0 ? [] : record.Slice(position, length).ToArray();
        position += length;
        return bytes;
    }

    private static void CheckLength(int length, string what)
    {
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"{what} is {length} bytes; an index record field holds at most {ushort.MaxValue}");
        }
    }
}
