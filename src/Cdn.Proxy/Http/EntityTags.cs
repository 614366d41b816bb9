namespace Cdn.Proxy.Http;

/// <summary>Entity-tag comparison for conditional requests (RFC 9110 §8.8.3).</summary>
public static class EntityTags
{
    /// <summary>
    /// True when an If-None-Match list (<c>*</c> or comma-separated tags) matches <paramref name="etag"/> by weak
    /// comparison (W/ prefixes ignored).
    /// </summary>
    public static bool WeakMatchAny(ReadOnlySpan<byte> ifNoneMatch, ReadOnlySpan<byte> etag)
    {
        var list = ifNoneMatch.Trim((byte)' ');
        if (list.SequenceEqual("*"u8))
        {
            return !etag.IsEmpty;
        }

        if (etag.IsEmpty)
        {
            return false;
        }

        var opaque = Opaque(etag);
        while (!list.IsEmpty)
        {
            var comma = IndexOfCommaOutsideQuotes(list);
            var item = (comma < 0 ? list : list[..comma]).Trim((byte)' ').Trim((byte)'\t');
            if (!item.IsEmpty && Opaque(item).SequenceEqual(opaque))
            {
                return true;
            }

            list = comma < 0 ? default : list[(comma + 1)..];
        }

        return false;
    }

    /// <summary>Strong comparison for If-Range: both strong and byte-identical.</summary>
    public static bool StrongEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        => !IsWeak(a) && !IsWeak(b) && !a.IsEmpty && a.SequenceEqual(b);

    /// <summary>True for a W/ tag.</summary>
    public static bool IsWeak(ReadOnlySpan<byte> tag) => tag.Length >= 2 && tag[0] == (byte)'W' && tag[1] == (byte)'/';

    private static ReadOnlySpan<byte> Opaque(ReadOnlySpan<byte> tag) => IsWeak(tag) ? tag[2..] : tag;

    private static int IndexOfCommaOutsideQuotes(ReadOnlySpan<byte> value)
    {
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (value[i] == (byte)',' && !quoted)
            {
                return i;
            }
        }

        return -1;
    }
}
