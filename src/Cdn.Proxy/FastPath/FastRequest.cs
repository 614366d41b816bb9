using System.Text;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// One parsed HTTP/1.1 request head. The head's bytes are kept (copied out of the pipe) with the offsets of
/// each header, so the headers the cache needs become strings only when present and the rest only when asked
/// for (Vary, pass-through).
/// </summary>
internal sealed class FastRequest
{
    private readonly List<(int NameStart, int NameLength, int ValueStart, int ValueLength)> _fields = new(32);
    private byte[] _head = new byte[4096];

    public string Method { get; set; } = "";

    public string Target { get; set; } = "";

    public bool Http10 { get; set; }

    public string? Host { get; set; }

    public string? Range { get; set; }

    public string? IfNoneMatch { get; set; }

    public string? IfModifiedSince { get; set; }

    public string? IfRange { get; set; }

    public string? CacheControl { get; set; }

    public string? CdnLoop { get; set; }

    public string? Origin { get; set; }

    public string? AccessControlRequestHeaders { get; set; }

    public bool HasAuthorization { get; set; }

    public bool ConnectionClose { get; set; }

    public bool ConnectionKeepAlive { get; set; }

    public long ContentLength { get; set; } = -1;

    public bool HasTransferEncoding { get; set; }

    public bool ExpectContinue { get; set; }

    public int HeadLength { get; private set; }

    public int FieldCount => _fields.Count;

    public bool KeepAlive => Http10 ? ConnectionKeepAlive && !ConnectionClose : !ConnectionClose;

    public Span<byte> PrepareHead(int length)
    {
        if (_head.Length < length)
        {
            _head = new byte[Math.Max(length, _head.Length * 2)];
        }

        HeadLength = length;
        return _head.AsSpan(0, length);
    }

    public ReadOnlySpan<byte> Head => _head.AsSpan(0, HeadLength);

    public void Reset()
    {
        _fields.Clear();
        HeadLength = 0;
        Method = Target = "";
        Http10 = false;
        Host = Range = IfNoneMatch = IfModifiedSince = IfRange = CacheControl = CdnLoop = Origin = AccessControlRequestHeaders = null;
        HasAuthorization = ConnectionClose = ConnectionKeepAlive = HasTransferEncoding = ExpectContinue = false;
        ContentLength = -1;
    }

    public void AddField(int nameStart, int nameLength, int valueStart, int valueLength)
        => _fields.Add((nameStart, nameLength, valueStart, valueLength));

    /// <summary>All values of header <paramref name="name"/> joined with ", ", or null.</summary>
    public string? Header(string name)
    {
        string? result = null;
        var head = Head;
        Span<byte> wanted = stackalloc byte[Math.Min(name.Length, 256)];
        if (name.Length > 256 || Encoding.ASCII.GetBytes(name, wanted) != name.Length)
        {
            return null;
        }

        foreach (var (ns, nl, vs, vl) in _fields)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(head.Slice(ns, nl), wanted))
            {
                var value = Encoding.Latin1.GetString(head.Slice(vs, vl));
                result = result is null ? value : $"{result}, {value}";
            }
        }

        return result;
    }

    /// <summary>Every header as name/value strings (pass-through).</summary>
    public List<KeyValuePair<string, string>> AllHeaders()
    {
        var head = Head;
        var list = new List<KeyValuePair<string, string>>(_fields.Count);
        foreach (var (ns, nl, vs, vl) in _fields)
        {
            list.Add(new(Encoding.ASCII.GetString(head.Slice(ns, nl)), Encoding.Latin1.GetString(head.Slice(vs, vl))));
        }

        return list;
    }
}
