using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Diagnostics;

namespace Cdn.Proxy.Serving;

/// <summary>
/// The response headers of a <see cref="CacheResponse"/>, rendered once for both front ends: Date,
/// Content-Type/Length/Range, validators, Age, the stored origin headers, X-Cache, and CORS for players.
/// Length framing (Content-Length vs chunked) is the front end's: <paramref name="contentLength"/> is passed in.
/// </summary>
public sealed class ResponseHeaders
{
    private static readonly byte[][] ResultTokens = Enum.GetNames<CacheResult>().Select(n => Encoding.ASCII.GetBytes(n.ToUpperInvariant())).ToArray();
    private static readonly HashSet<string> NotRelayed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Date", "Server",
        "Content-Length", "CDN-Cache-Control", "Surrogate-Control", "Alt-Svc", "Access-Control-Allow-Origin",
        "Access-Control-Expose-Headers", "Timing-Allow-Origin",
    };

    private readonly CorsOptions _cors;
    private readonly HttpDateCache _date;
    private readonly byte[] _xCacheSuffix;
    private readonly bool _anyOrigin;
    private readonly HashSet<string> _origins;
    private readonly byte[] _preflightMaxAge;

    /// <summary>Renders for node <paramref name="nodeName"/>.</summary>
    public ResponseHeaders(CorsOptions cors, HttpDateCache date, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(cors);
        _cors = cors;
        _date = date;
        _xCacheSuffix = Encoding.ASCII.GetBytes($" from {nodeName}");
        _anyOrigin = cors.AllowedOrigins.Count == 0 || cors.AllowedOrigins.Contains("*");
        _origins = new HashSet<string>(cors.AllowedOrigins, StringComparer.OrdinalIgnoreCase);
        _preflightMaxAge = Encoding.ASCII.GetBytes(((long)cors.PreflightMaxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The cached Date value.</summary>
    public HttpDateCache Date => _date;

    /// <summary>Writes every header of <paramref name="response"/> to <paramref name="sink"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="contentLength">The Content-Length to send, or -1 to send none (chunked or no body).</param>
    /// <param name="origin">The request's Origin header (CORS).</param>
    /// <param name="preflightRequestHeaders">Access-Control-Request-Headers of a preflight.</param>
    /// <param name="sink">Where to write.</param>
    public void Write<TSink>(CacheResponse response, long contentLength, string? origin, string? preflightRequestHeaders, ref TSink sink)
        where TSink : struct, IHeaderSink
    {
        ArgumentNullException.ThrowIfNull(response);
        Span<byte> number = stackalloc byte[20];
        sink.Add("Date"u8, _date.Bytes);
        var entry = response.Entry;
        if (entry is not null && response.Status != 304 && entry.ContentType.Length > 0)
        {
            sink.Add("Content-Type"u8, entry.ContentType);
        }
        else if (response.Source == BodySource.Bytes)
        {
            sink.Add("Content-Type"u8, "text/plain; charset=utf-8"u8);
        }

        if (contentLength >= 0)
        {
            sink.Add("Content-Length"u8, Format(contentLength, number));
        }

        Span<byte> text = stackalloc byte[72];
        if (response.IsPartial)
        {
            // bytes first-last/complete: three 19-digit numbers at most, formatted without a string.
            Utf8.TryWrite(text, CultureInfo.InvariantCulture, $"bytes {response.Offset}-{response.Offset + response.Length - 1}/{response.TotalLength}", out var written);
            sink.Add("Content-Range"u8, text[..written]);
        }
        else if (response.Status == 416)
        {
            Utf8.TryWrite(text, CultureInfo.InvariantCulture, $"bytes */{response.TotalLength}", out var written);
            sink.Add("Content-Range"u8, text[..written]);
        }

        if (entry is not null)
        {
            if (entry.Status == 200)
            {
                sink.Add("Accept-Ranges"u8, "bytes"u8);
            }

            if (entry.ETag.Length > 0)
            {
                sink.Add("ETag"u8, entry.ETag);
            }

            if (entry.LastModified > 0)
            {
                DateTimeOffset.FromUnixTimeSeconds(entry.LastModified).TryFormat(text, out var written, "r", CultureInfo.InvariantCulture);
                sink.Add("Last-Modified"u8, text[..written]);
            }

            if (response.Age >= 0)
            {
                sink.Add("Age"u8, Format(response.Age, number));
            }

            if (entry.Headers.Length > 0)
            {
                sink.AddRaw(entry.Headers);
            }
        }
        else if (response.Upstream is { } upstream)
        {
            Relay(upstream, ref sink);
        }

        if (response.ExtraHeaders is { } extra)
        {
            foreach (var (name, value) in extra)
            {
                sink.Add(Encoding.ASCII.GetBytes(name), Encoding.UTF8.GetBytes(value));
            }
        }

        Span<byte> xcache = stackalloc byte[32 + _xCacheSuffix.Length];
        var token = ResultTokens[(int)response.Result];
        token.CopyTo(xcache);
        _xCacheSuffix.CopyTo(xcache[token.Length..]);
        sink.Add("X-Cache"u8, xcache[..(token.Length + _xCacheSuffix.Length)]);
        WriteCors(origin, preflightRequestHeaders, ref sink);
    }

    private void WriteCors<TSink>(string? origin, string? preflightRequestHeaders, ref TSink sink)
        where TSink : struct, IHeaderSink
    {
        if (!_cors.Enabled)
        {
            return;
        }

        if (_anyOrigin)
        {
            sink.Add("Access-Control-Allow-Origin"u8, "*"u8);
        }
        else if (origin is not null && _origins.Contains(origin))
        {
            sink.Add("Access-Control-Allow-Origin"u8, Encoding.ASCII.GetBytes(origin));
            sink.Add("Vary"u8, "Origin"u8);
        }
        else
        {
            return;
        }

        sink.Add("Access-Control-Expose-Headers"u8, "Content-Length, Content-Range, Age, Date, ETag, X-Cache"u8);
        sink.Add("Timing-Allow-Origin"u8, "*"u8);
        if (preflightRequestHeaders is not null)
        {
            sink.Add("Access-Control-Allow-Methods"u8, "GET, HEAD, OPTIONS"u8);
            sink.Add("Access-Control-Allow-Headers"u8, preflightRequestHeaders.Length > 0 ? Encoding.ASCII.GetBytes(Sanitize(preflightRequestHeaders)) : "Range"u8);
            sink.Add("Access-Control-Max-Age"u8, _preflightMaxAge);
        }
    }

    private static void Relay<TSink>(HttpResponseMessage upstream, ref TSink sink)
        where TSink : struct, IHeaderSink
    {
        foreach (var (name, values) in upstream.Headers.Concat(upstream.Content.Headers))
        {
            if (NotRelayed.Contains(name))
            {
                continue;
            }

            var nameBytes = Encoding.ASCII.GetBytes(name);
            foreach (var value in values)
            {
                if (!value.Contains('\r', StringComparison.Ordinal) && !value.Contains('\n', StringComparison.Ordinal))
                {
                    sink.Add(nameBytes, Encoding.UTF8.GetBytes(value));
                }
            }
        }
    }

    private static string Sanitize(string headerList)
        => new(headerList.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ',' or ' ').ToArray());

    private static ReadOnlySpan<byte> Format(long value, Span<byte> buffer)
    {
        Utf8Formatter.TryFormat(value, buffer, out var written);
        return buffer[..written];
    }
}
