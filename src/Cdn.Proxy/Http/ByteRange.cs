namespace Cdn.Proxy.Http;

/// <summary>What a Range header asks of a representation of known length (RFC 9110 §14).</summary>
public enum RangeKind
{
    /// <summary>No Range header, or one we ignore (not bytes, malformed, several ranges): send the whole body.</summary>
    Full,

    /// <summary>One satisfiable byte range: 206 with Content-Range.</summary>
    Partial,

    /// <summary>No range overlaps the body: 416 with Content-Range: bytes */length.</summary>
    Unsatisfiable,
}

/// <summary>A resolved byte range request.</summary>
/// <param name="Kind">Whole body, one range, or unsatisfiable.</param>
/// <param name="Start">First byte (inclusive) for <see cref="RangeKind.Partial"/>.</param>
/// <param name="Length">Number of bytes for <see cref="RangeKind.Partial"/>.</param>
public readonly record struct ByteRange(RangeKind Kind, long Start, long Length)
{
    /// <summary>The whole body.</summary>
    public static ByteRange Full => new(RangeKind.Full, 0, 0);

    /// <summary>
    /// Resolves a Range header value against a body of <paramref name="length"/> bytes. Accepts <c>bytes=a-b</c>,
    /// <c>bytes=a-</c> and <c>bytes=-n</c>; several ranges are answered with the full body (allowed by RFC 9110
    /// and what players never need); anything malformed is ignored as RFC 9110 §14.2 permits.
    /// </summary>
    public static ByteRange Resolve(ReadOnlySpan<byte> header, long length)
    {
        header = Trim(header);
        if (header.IsEmpty)
        {
            return Full;
        }

        if (header.Length < 6 || !Ascii.EqualsIgnoreCase(header[..6], "bytes="u8))
        {
            return Full;
        }

        var spec = Trim(header[6..]);
        if (spec.IndexOf((byte)',') >= 0)
        {
            // Several ranges: if all are unsatisfiable RFC 9110 wants 416, otherwise we may send 200.
            foreach (var part in new SpanSplitter(spec))
            {
                var one = ResolveOne(Trim(part), length);
                if (one.Kind != RangeKind.Unsatisfiable)
                {
                    return Full;
                }
            }

            return new ByteRange(RangeKind.Unsatisfiable, 0, 0);
        }

        return ResolveOne(spec, length);
    }

    private static ByteRange ResolveOne(ReadOnlySpan<byte> spec, long length)
    {
        var dash = spec.IndexOf((byte)'-');
        if (dash < 0)
        {
            return Full;
        }

        var first = Trim(spec[..dash]);
        var last = Trim(spec[(dash + 1)..]);
        if (first.IsEmpty)
        {
            // Suffix range: the last n bytes.
            if (!TryNumber(last, out var suffix))
            {
                return Full;
            }

            if (suffix == 0 || length == 0)
            {
                return new ByteRange(RangeKind.Unsatisfiable, 0, 0);
            }

            var take = Math.Min(suffix, length);
            return new ByteRange(RangeKind.Partial, length - take, take);
        }

        if (!TryNumber(first, out var start))
        {
            return Full;
        }

        long end;
        if (last.IsEmpty)
        {
            end = length - 1;
        }
        else if (!TryNumber(last, out end) || end < start)
        {
            return Full; // invalid: last < first
        }

        if (start >= length)
        {
            return new ByteRange(RangeKind.Unsatisfiable, 0, 0);
        }

        end = Math.Min(end, length - 1);
        return new ByteRange(RangeKind.Partial, start, end - start + 1);
    }

    private static bool TryNumber(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }

        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && value[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && value[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return value[start..end];
    }

    private ref struct SpanSplitter
    {
        private ReadOnlySpan<byte> _rest;
        private bool _done;

        public SpanSplitter(ReadOnlySpan<byte> value)
        {
            _rest = value;
            _done = false;
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly SpanSplitter GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_done)
            {
                return false;
            }

            var comma = _rest.IndexOf((byte)',');
            if (comma < 0)
            {
                Current = _rest;
                _done = true;
                return true;
            }

            Current = _rest[..comma];
            _rest = _rest[(comma + 1)..];
            return true;
        }
    }
}

/// <summary>ASCII helpers on bytes.</summary>
internal static class Ascii
{
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        => System.Text.Ascii.EqualsIgnoreCase(a, b);
}
