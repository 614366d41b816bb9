using System.Buffers;
using System.Text;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// An HTTP/1.1 request-head parser over the connection's buffered bytes (RFC 9112 §2–5), strict where
/// leniency enables request smuggling or cache poisoning: no whitespace before a colon, no obs-fold, no bare
/// CR, one Host, no Content-Length together with Transfer-Encoding, and sizes bounded (414, 431).
/// </summary>
internal sealed class RequestHeadParser
{
    private readonly FastPathOptions _limits;

    // A connection's requests repeat their Host and Origin: keep the last strings and reuse them while the bytes match.
    private readonly RecentValue _host = new();
    private readonly RecentValue _origin = new();

    public RequestHeadParser(FastPathOptions limits) => _limits = limits;

    public int ErrorStatus { get; private set; }

    public string ErrorReason { get; private set; } = "";

    /// <summary>Parses one head from <paramref name="buffer"/>; on Complete, <paramref name="consumed"/> is just past it.</summary>
    public ParseStatus TryParse(ReadOnlySequence<byte> buffer, FastRequest request, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        // RFC 9112 §2.2: ignore empty lines before the request line.
        var skipped = 0;
        while (skipped < 4 && (reader.IsNext("\r\n"u8, advancePast: true) || reader.IsNext((byte)'\n', advancePast: true)))
        {
            skipped++;
        }

        var start = reader.Position;
        consumed = start;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8, advancePastDelimiter: true))
        {
            var pending = buffer.Slice(start);
            var lineEnd = pending.PositionOf((byte)'\n');
            var lineLength = lineEnd is { } end ? pending.Slice(0, end).Length : pending.Length;
            if (lineLength > _limits.MaxRequestTargetBytes + 32)
            {
                return Fail(414, "request target too long");
            }

            return pending.Length > _limits.MaxRequestHeadBytes ? Fail(431, "request head too large") : ParseStatus.Incomplete;
        }

        if (head.Length + 4 > _limits.MaxRequestHeadBytes)
        {
            var lineEnd = head.PositionOf((byte)'\n');
            var lineLength = lineEnd is { } e ? head.Slice(0, e).Length : head.Length;
            return lineLength > _limits.MaxRequestTargetBytes + 32 ? Fail(414, "request target too long") : Fail(431, "request head too large");
        }

        request.Reset();
        var bytes = request.PrepareHead((int)head.Length + 2);
        head.CopyTo(bytes);
        bytes[^2] = (byte)'\r';
        bytes[^1] = (byte)'\n';
        consumed = reader.Position;
        return Parse(bytes, request);
    }

    private ParseStatus Parse(ReadOnlySpan<byte> head, FastRequest request)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var status = ParseRequestLine(head[..lineEnd], request);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        var at = lineEnd + 2;
        var hosts = 0;
        while (at < head.Length)
        {
            var rest = head[at..];
            var end = rest.IndexOf("\r\n"u8);
            var line = rest[..end];
            if (line.IndexOf((byte)'\r') >= 0 || line.IndexOf((byte)'\n') >= 0 || line.IndexOf((byte)0) >= 0)
            {
                return Fail(400, "bare CR, LF or NUL in a header field");
            }

            if (line.Length > 0 && line[0] is (byte)' ' or (byte)'\t')
            {
                return Fail(400, "obsolete line folding in header");
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return Fail(400, "malformed header field");
            }

            var name = line[..colon];
            foreach (var b in name)
            {
                if (!IsTokenChar(b))
                {
                    return Fail(400, "invalid header field name");
                }
            }

            var valueStart = colon + 1;
            while (valueStart < line.Length && line[valueStart] is (byte)' ' or (byte)'\t')
            {
                valueStart++;
            }

            var valueEnd = line.Length;
            while (valueEnd > valueStart && line[valueEnd - 1] is (byte)' ' or (byte)'\t')
            {
                valueEnd--;
            }

            if (request.FieldCount >= _limits.MaxHeaderCount)
            {
                return Fail(431, "too many header fields");
            }

            request.AddField(at, colon, at + valueStart, valueEnd - valueStart);
            var value = line[valueStart..valueEnd];
            var known = ApplyKnown(name, value, request, ref hosts);
            if (known != ParseStatus.Complete)
            {
                return known;
            }

            at += end + 2;
        }

        if (hosts == 0 && !request.Http10)
        {
            return Fail(400, "missing Host header");
        }

        if (request.HasTransferEncoding && request.ContentLength >= 0)
        {
            return Fail(400, "both Content-Length and Transfer-Encoding");
        }

        return ParseStatus.Complete;
    }

    private ParseStatus ParseRequestLine(ReadOnlySpan<byte> line, FastRequest request)
    {
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0)
        {
            return Fail(400, "malformed request line");
        }

        var method = line[..sp1];
        foreach (var b in method)
        {
            if (!IsTokenChar(b))
            {
                return Fail(400, "invalid method");
            }
        }

        var rest = line[(sp1 + 1)..];
        var sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0)
        {
            return Fail(400, "malformed request line");
        }

        var target = rest[..sp2];
        if (target.Length > _limits.MaxRequestTargetBytes)
        {
            return Fail(414, "request target too long");
        }

        foreach (var b in target)
        {
            if (b <= 0x20 || b == 0x7F)
            {
                return Fail(400, "invalid character in request target");
            }
        }

        var version = rest[(sp2 + 1)..];
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            request.Http10 = false;
        }
        else if (version.SequenceEqual("HTTP/1.0"u8))
        {
            request.Http10 = true;
        }
        else if (version.Length == 8 && version.StartsWith("HTTP/"u8))
        {
            return Fail(505, "HTTP version not supported on this port");
        }
        else
        {
            return Fail(400, "malformed request line");
        }

        request.Method = MethodName(method);
        request.Target = Encoding.Latin1.GetString(target);
        return ParseStatus.Complete;
    }

    private ParseStatus ApplyKnown(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, FastRequest request, ref int hosts)
    {
        switch (name.Length)
        {
            case 4 when Is(name, "host"u8):
                if (++hosts > 1)
                {
                    return Fail(400, "more than one Host header");
                }

                request.Host = _host.Get(value);
                break;
            case 5 when Is(name, "range"u8):
                request.Range = Encoding.Latin1.GetString(value);
                break;
            case 6 when Is(name, "origin"u8):
                request.Origin = _origin.Get(value);
                break;
            case 6 when Is(name, "expect"u8):
                request.ExpectContinue = System.Text.Ascii.EqualsIgnoreCase(value, "100-continue"u8);
                break;
            case 8 when Is(name, "if-range"u8):
                request.IfRange = Encoding.Latin1.GetString(value);
                break;
            case 8 when Is(name, "cdn-loop"u8):
                request.CdnLoop = request.CdnLoop is null ? Encoding.Latin1.GetString(value) : $"{request.CdnLoop}, {Encoding.Latin1.GetString(value)}";
                break;
            case 10 when Is(name, "connection"u8):
                foreach (var range in value.Split((byte)','))
                {
                    var t = value[range].Trim(" \t"u8);
                    request.ConnectionClose |= System.Text.Ascii.EqualsIgnoreCase(t, "close"u8);
                    request.ConnectionKeepAlive |= System.Text.Ascii.EqualsIgnoreCase(t, "keep-alive"u8);
                }

                break;
            case 13 when Is(name, "authorization"u8):
                request.HasAuthorization = true;
                break;
            case 13 when Is(name, "if-none-match"u8):
                request.IfNoneMatch = request.IfNoneMatch is null ? Encoding.Latin1.GetString(value) : $"{request.IfNoneMatch}, {Encoding.Latin1.GetString(value)}";
                break;
            case 13 when Is(name, "cache-control"u8):
                request.CacheControl = Encoding.Latin1.GetString(value);
                break;
            case 14 when Is(name, "content-length"u8):
                if (!TryParseLength(value, out var length) || (request.ContentLength >= 0 && request.ContentLength != length))
                {
                    return Fail(400, "invalid Content-Length");
                }

                request.ContentLength = length;
                break;
            case 17 when Is(name, "transfer-encoding"u8):
                request.HasTransferEncoding = true;
                break;
            case 17 when Is(name, "if-modified-since"u8):
                request.IfModifiedSince = Encoding.Latin1.GetString(value);
                break;
            case 30 when Is(name, "access-control-request-headers"u8):
                request.AccessControlRequestHeaders = Encoding.Latin1.GetString(value);
                break;
        }

        return ParseStatus.Complete;
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lower) => System.Text.Ascii.EqualsIgnoreCase(name, lower);

    private static bool TryParseLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            length = (length * 10) + (b - '0');
        }

        return true;
    }

    private static string MethodName(ReadOnlySpan<byte> method)
    {
        if (method.SequenceEqual("GET"u8))
        {
            return "GET";
        }

        if (method.SequenceEqual("HEAD"u8))
        {
            return "HEAD";
        }

        if (method.SequenceEqual("OPTIONS"u8))
        {
            return "OPTIONS";
        }

        return Encoding.ASCII.GetString(method);
    }

    /// <summary>tchar of RFC 9110 §5.6.2.</summary>
    private static bool IsTokenChar(byte b)
        => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';

    private ParseStatus Fail(int status, string reason)
    {
        ErrorStatus = status;
        ErrorReason = reason;
        return ParseStatus.Error;
    }

    /// <summary>The last Latin-1 string made from a header value, reused while the next value has the same bytes.</summary>
    private sealed class RecentValue
    {
        private byte[] _bytes = [];
        private string _text = "";

        public string Get(ReadOnlySpan<byte> value)
        {
            if (value.SequenceEqual(_bytes))
            {
                return _text;
            }

            _text = Encoding.Latin1.GetString(value);
            _bytes = value.Length <= 256 ? value.ToArray() : [];
            return _text;
        }
    }
}
