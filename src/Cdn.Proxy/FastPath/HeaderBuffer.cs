using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Cdn.Proxy.Serving;

namespace Cdn.Proxy.FastPath;

/// <summary>A response head and small body assembled in one pooled buffer, sent with a single write.</summary>
internal sealed class HeaderBuffer : IDisposable
{
    private static readonly Dictionary<int, byte[]> StatusLines = new()
    {
        [100] = Line("100 Continue"), [200] = Line("200 OK"), [204] = Line("204 No Content"), [206] = Line("206 Partial Content"),
        [301] = Line("301 Moved Permanently"), [302] = Line("302 Found"), [304] = Line("304 Not Modified"), [307] = Line("307 Temporary Redirect"),
        [308] = Line("308 Permanent Redirect"), [400] = Line("400 Bad Request"), [401] = Line("401 Unauthorized"), [403] = Line("403 Forbidden"),
        [404] = Line("404 Not Found"), [405] = Line("405 Method Not Allowed"), [408] = Line("408 Request Timeout"), [410] = Line("410 Gone"),
        [411] = Line("411 Length Required"), [413] = Line("413 Content Too Large"), [414] = Line("414 URI Too Long"),
        [416] = Line("416 Range Not Satisfiable"), [431] = Line("431 Request Header Fields Too Large"), [500] = Line("500 Internal Server Error"),
        [501] = Line("501 Not Implemented"), [502] = Line("502 Bad Gateway"), [503] = Line("503 Service Unavailable"),
        [504] = Line("504 Gateway Timeout"), [505] = Line("505 HTTP Version Not Supported"), [508] = Line("508 Loop Detected"),
    };

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(8192);

    public int Length { get; set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public void StatusLine(int status)
    {
        if (StatusLines.TryGetValue(status, out var line))
        {
            Append(line);
        }
        else
        {
            Append(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} Status {status}\r\n"));
        }
    }

    public void Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Reserve(name.Length + value.Length + 4);
        name.CopyTo(_buffer.AsSpan(Length));
        Length += name.Length;
        _buffer[Length++] = (byte)':';
        _buffer[Length++] = (byte)' ';
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
        _buffer[Length++] = (byte)'\r';
        _buffer[Length++] = (byte)'\n';
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Room for <paramref name="count"/> more bytes, as a span to fill (then add to <see cref="Length"/>).</summary>
    public Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + count));
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(Length, count);
    }

    public void ChunkHeader(long size)
    {
        var span = Reserve(20);
        Utf8Formatter.TryFormat(size, span, out var written, new StandardFormat('X'));
        Length += written;
        Append("\r\n"u8);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private static byte[] Line(string text) => Encoding.ASCII.GetBytes($"HTTP/1.1 {text}\r\n");

    /// <summary>The sink the shared header renderer writes through.</summary>
    public readonly struct Sink : IHeaderSink
    {
        private readonly HeaderBuffer _owner;

        public Sink(HeaderBuffer owner) => _owner = owner;

        public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => _owner.Header(name, value);

        public void AddRaw(ReadOnlySpan<byte> lines) => _owner.Append(lines);
    }
}
