using System.Buffers;
using System.Text;
using Cdn.Caching.Fill;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Cdn.Proxy.Serving;

/// <summary>
/// Serves the cache through Kestrel's HTTP stack: the HTTPS listener (TLS 1.2/1.3, HTTP/1.1 and HTTP/2) and
/// a cleartext listener when the zero-copy path is off. Bodies are read with positional I/O into pooled
/// buffers and written to the response (TLS needs the bytes in user space anyway: no kTLS here).
/// </summary>
public sealed class KestrelCacheFrontEnd
{
    private const int ChunkBytes = 64 * 1024;
    private const int RecordBytes = 16 * 1024;
    private const int FlushBytes = 64 * 1024;

    private readonly HttpCache _cache;
    private readonly RequestTargetParser _targets;
    private readonly ResponseHeaders _headers;
    private readonly AccessLog _access;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the front end.</summary>
    public KestrelCacheFrontEnd(HttpCache cache, RequestTargetParser targets, ResponseHeaders headers, AccessLog access, TimeProvider time, ILogger logger)
    {
        _cache = cache;
        _targets = targets;
        _headers = headers;
        _access = access;
        _time = time;
        _logger = logger;
    }

    /// <summary>The request delegate.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = _time.GetTimestamp();
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString).ToString();
        CacheResponse response;
        if (!_targets.TryParse(request.Host.Value, rawTarget, out var target, out var error))
        {
            response = HttpCache.Synthetic(error!.Status, error.Reason);
        }
        else if (request.Method is not ("GET" or "HEAD" or "OPTIONS") && !HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method)
                 && !HttpMethods.IsDelete(request.Method) && !HttpMethods.IsPatch(request.Method))
        {
            response = HttpCache.Synthetic(501, $"method {request.Method} not implemented");
        }
        else if (request.Method is "GET" or "HEAD" && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            response = HttpCache.Synthetic(400, "a GET or HEAD request must not have a body");
        }
        else
        {
            var headers = request.Headers;
            var proxyRequest = new ProxyRequest
            {
                Method = request.Method,
                Target = target,
                Range = Single(headers.Range),
                IfNoneMatch = Joined(headers.IfNoneMatch),
                IfModifiedSince = Single(headers.IfModifiedSince),
                IfRange = Single(headers.IfRange),
                CacheControl = Joined(headers.CacheControl),
                CdnLoop = Joined(headers["CDN-Loop"]),
                HasAuthorization = headers.Authorization.Count > 0,
                ClientAddress = context.Connection.RemoteIpAddress?.ToString(),
                Header = name => Joined(headers[name]),
                AllHeaders = () => headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))),
                Body = request.Method is "GET" or "HEAD" or "OPTIONS" ? null : request.Body,
                BodyLength = request.ContentLength,
            };
            try
            {
                response = await _cache.HandleAsync(proxyRequest, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return; // the client went away
            }
        }

        using (response)
        {
            long sent = 0;
            try
            {
                sent = await RenderAsync(context, response);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or CacheFillFailedException)
            {
                // Client gone, or the fill broke after headers were sent: the only signal left is an aborted stream.
                context.Abort();
            }

            _cache.Metrics.Request(response.Status, response.Result, sent);
            _access.Write(request.Method, rawTarget, response.Status, response.Result, sent, _time.GetElapsedTime(started), context.Connection.RemoteIpAddress?.ToString());
        }
    }

    private async Task<long> RenderAsync(HttpContext context, CacheResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        var bodyLength = response.HeadersOnly || response.Source == BodySource.None ? 0 : response.Length;
        var declared = response.Status is 204 or 304 ? -1 : response.HeadersOnly ? response.Length : bodyLength;
        var sink = new KestrelHeaderSink(http.Headers);
        var isPreflight = context.Request.Method == "OPTIONS";
        _headers.Write(response, declared, Single(context.Request.Headers.Origin), isPreflight ? Joined(context.Request.Headers.AccessControlRequestHeaders) ?? "" : null, ref sink);
        if (response.HeadersOnly || response.Source == BodySource.None || response.Status is 204 or 304)
        {
            return 0;
        }

        var aborted = context.RequestAborted;
        switch (response.Source)
        {
            case BodySource.Bytes:
                await http.Body.WriteAsync(response.Bytes, aborted);
                return response.Bytes.Length;
            case BodySource.Upstream:
                await using (var stream = await response.Upstream!.Content.ReadAsStreamAsync(aborted))
                {
                    var counting = new CountingCopy();
                    await counting.CopyAsync(stream, http.Body, aborted);
                    return counting.Bytes;
                }

            case BodySource.File:
                return await CopyFileAsync(response, http, response.Offset, response.Length, aborted);
            default:
                return await CopyFillAsync(response, http, aborted);
        }
    }

    /// <summary>
    /// Reads body bytes straight into the response pipe's memory (pread into the buffer Kestrel will encrypt
    /// or send), 16 KiB at a time — one TLS record each — flushing every 64 KiB. Reading into a pooled buffer
    /// and then writing it to the response stream cost one more copy of every byte (10% of HTTPS CPU in perf).
    /// </summary>
    private static async Task<long> CopyFileAsync(CacheResponse response, HttpResponse http, long offset, long length, CancellationToken aborted)
    {
        var writer = http.BodyWriter;
        var lease = response.Lease!;
        long done = 0;
        var sinceFlush = 0;
        while (done < length)
        {
            var memory = writer.GetMemory(RecordBytes);
            var want = (int)Math.Min(Math.Min(memory.Length, RecordBytes), length - done);
            var read = lease.Read(memory.Span[..want], offset + done);
            if (read <= 0)
            {
                throw new IOException("body file ended early");
            }

            writer.Advance(read);
            done += read;
            sinceFlush += read;
            if (sinceFlush >= FlushBytes || done == length)
            {
                sinceFlush = 0;
                var flush = await writer.FlushAsync(aborted);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    throw new OperationCanceledException("client went away");
                }
            }
        }

        return done;
    }

    private static async Task<long> CopyFillAsync(CacheResponse response, HttpResponse http, CancellationToken aborted)
    {
        var fill = response.Fill!;
        var position = response.Offset;
        var end = response.Length >= 0 ? response.Offset + response.Length : long.MaxValue;
        while (position < end)
        {
            var available = await fill.WaitForDataAsync(position, aborted);
            if (available == position)
            {
                break; // complete
            }

            var limit = Math.Min(available, end);
            position += await CopyFileAsync(response, http, position, limit - position, aborted);
        }

        return position - response.Offset;
    }
    private static string? Single(StringValues values) => values.Count == 0 ? null : values[0];

    private static string? Joined(StringValues values) => values.Count == 0 ? null : values.Count == 1 ? values[0] : string.Join(", ", values.ToArray());

    private sealed class CountingCopy
    {
        public long Bytes { get; private set; }

        public async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            try
            {
                int read;
                while ((read = await from.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    Bytes += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Header sink over Kestrel's response headers.</summary>
    private readonly struct KestrelHeaderSink : IHeaderSink
    {
        private readonly IHeaderDictionary _headers;

        public KestrelHeaderSink(IHeaderDictionary headers) => _headers = headers;

        public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
            => _headers.Append(Encoding.ASCII.GetString(name), Encoding.UTF8.GetString(value));

        public void AddRaw(ReadOnlySpan<byte> lines)
        {
            foreach (var line in Encoding.UTF8.GetString(lines).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    _headers.Append(line[..colon], line[(colon + 1)..].Trim());
                }
            }
        }
    }
}
