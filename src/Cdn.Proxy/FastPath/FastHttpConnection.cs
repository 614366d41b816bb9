using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Cdn.Caching.Fill;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Keys;
using Cdn.Proxy.Serving;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// One cleartext HTTP/1.1 connection on the zero-copy path. Kestrel's socket transport fills the input pipe;
/// everything sent goes straight to the socket (never through Kestrel's output pipe, whose bytes would
/// interleave with ours). Requests are handled in order (pipelining); the connection enforces header and
/// keep-alive timeouts, size limits and a minimum send rate, and closes gracefully: it stops sending, then
/// drains what the client still sends so the kernel does not reset the connection and truncate the response.
/// </summary>
internal sealed class FastHttpConnection : IDisposable
{
    private readonly string _id;
    private readonly ResponseOutput _output;
    private readonly PipeReader _input;
    private readonly FastPathServices _services;
    private readonly FastPathOptions _options;
    private readonly CancellationToken _stopping;
    private readonly FastRequest _request = new();
    private readonly RequestHeadParser _parser;
    private readonly HeaderBuffer _out = new();
    private readonly string? _client;
    private CancellationTokenSource _phase;

    public FastHttpConnection(string id, ResponseOutput output, PipeReader input, string? client, FastPathServices services, CancellationToken stopping)
    {
        _id = id;
        _output = output;
        _input = input;
        _services = services;
        _options = services.Options;
        _stopping = stopping;
        _parser = new RequestHeadParser(services.Options);
        _client = client;
        _phase = new CancellationTokenSource(Timeout.InfiniteTimeSpan, services.Time);
    }

    public async Task RunAsync()
    {
        using var stopRegistration = _stopping.Register(static state => ((FastHttpConnection)state!).OnStopping(), this);
        var served = 0;
        while (true)
        {
            var read = await ReadHeadAsync();
            if (read == HeadRead.Closed)
            {
                return;
            }

            if (read == HeadRead.Error)
            {
                _services.Metrics.Rejected(ProxyMetrics.Status(_parser.ErrorStatus));
                ProxyLog.RequestRefused(_services.Logger, _id, _parser.ErrorStatus, _parser.ErrorReason);
                await SendErrorAsync(_parser.ErrorStatus, _parser.ErrorReason);
                await CloseGracefullyAsync();
                return;
            }

            served++;
            var keepAlive = await HandleAsync(served >= _options.MaxRequestsPerConnection || _stopping.IsCancellationRequested);
            if (!keepAlive)
            {
                await CloseGracefullyAsync();
                return;
            }
        }
    }

    private enum HeadRead
    {
        Ok,
        Closed,
        Error,
    }

    private void OnStopping()
    {
        // Shutdown: an idle connection closes now; one mid-request finishes its response first.
        if (_request.HeadLength == 0)
        {
            TryCancel(_phase);
        }
    }

    private async ValueTask<HeadRead> ReadHeadAsync()
    {
        _request.Reset();
        if (_stopping.IsCancellationRequested)
        {
            return HeadRead.Closed; // draining: no new request on this connection
        }

        ResetPhase(_options.KeepAliveTimeout);
        if (_stopping.IsCancellationRequested)
        {
            return HeadRead.Closed; // stop requested while the timer was being reset
        }

        var started = false;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_phase.Token);
                var buffer = result.Buffer;
                var status = _parser.TryParse(buffer, _request, out var consumed);
                if (status == ParseStatus.Complete)
                {
                    _input.AdvanceTo(consumed);
                    return HeadRead.Ok;
                }

                if (status == ParseStatus.Error)
                {
                    _input.AdvanceTo(buffer.End);
                    return HeadRead.Error;
                }

                if (result.IsCompleted)
                {
                    _input.AdvanceTo(buffer.End);
                    return HeadRead.Closed; // client closed (possibly mid-head: nothing to answer)
                }

                if (!started && !buffer.IsEmpty)
                {
                    // The request has begun: from now on the (shorter) request-headers timeout applies.
                    started = true;
                    ResetPhase(_options.RequestHeadersTimeout);
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            if (started && !_stopping.IsCancellationRequested)
            {
                _services.Metrics.Rejected("408");
                await SendErrorAsync(408, "request headers not received in time");
            }

            return HeadRead.Closed;
        }
        catch (IOException)
        {
            // Reset by the client, or a broken TLS stream: nothing to answer (not a server error worth a stack trace).
            return HeadRead.Closed;
        }
    }

    /// <summary>Serves one parsed request; returns whether the connection stays open.</summary>
    private async ValueTask<bool> HandleAsync(bool lastRequest)
    {
        var started = _services.Time.GetTimestamp();
        var request = _request;
        var keepAlive = request.KeepAlive && !lastRequest;
        var method = request.Method;
        RequestBodyStream? body = null;
        CacheResponse response;
        if (method is "GET" or "HEAD" or "OPTIONS")
        {
            if (request.ContentLength > 0 || request.HasTransferEncoding)
            {
                // We will not read the body, so the connection cannot continue after the answer.
                response = HttpCache.Synthetic(400, $"a {method} request must not have a body");
                keepAlive = false;
            }
            else
            {
                response = await DispatchAsync(request, null);
            }
        }
        else if (method is "POST" or "PUT" or "DELETE" or "PATCH")
        {
            if (request.HasTransferEncoding)
            {
                response = HttpCache.Synthetic(411, "chunked request bodies are not accepted here: send Content-Length");
                keepAlive = false;
            }
            else if (request.ContentLength > _options.MaxRequestBodyBytes)
            {
                response = HttpCache.Synthetic(413, $"request body over {_options.MaxRequestBodyBytes} bytes");
                keepAlive = false;
            }
            else
            {
                if (request.ContentLength > 0)
                {
                    body = new RequestBodyStream(_input, request.ContentLength);
                    if (request.ExpectContinue)
                    {
                        await _output.SendAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray());
                    }
                }

                response = await DispatchAsync(request, body);
            }
        }
        else
        {
            response = HttpCache.Synthetic(501, $"method {method} not implemented");
            keepAlive = keepAlive && request.ContentLength <= 0 && !request.HasTransferEncoding;
        }

        using (response)
        {
            long sent = 0;
            try
            {
                (sent, keepAlive) = await RenderAsync(response, request, keepAlive);
                if (body is { Remaining: > 0 })
                {
                    ResetPhase(_options.RequestHeadersTimeout);
                    await body.DrainAsync(_phase.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or CacheFillFailedException or ObjectDisposedException)
            {
                ProxyLog.ConnectionAborted(_services.Logger, _id, ex.Message);
                keepAlive = false;
                Abort();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A bug, not a client problem: log it loudly, but lose only this connection.
                ProxyLog.ServeFailed(_services.Logger, ex, request.Target);
                keepAlive = false;
                Abort();
            }

            _services.Metrics.Request(response.Status, response.Result, sent);
            _services.Access.Write(method, request.Target, response.Status, response.Result, sent, _services.Time.GetElapsedTime(started), _client);
        }

        return keepAlive;
    }

    private async ValueTask<CacheResponse> DispatchAsync(FastRequest request, RequestBodyStream? body)
    {
        var host = request.Host ?? "";
        RequestTarget target;
        Cdn.Caching.Keys.CacheKey? key = null;
        if (_services.Targets.TryGet(host, request.Target, out var cachedTarget, out var cachedKey))
        {
            target = cachedTarget;
            key = cachedKey;
        }
        else if (_services.TargetParser.TryParse(host, request.Target, out target, out var error))
        {
            var created = _services.Cache.Engine.KeyHasher.Create(target.CacheKey);
            _services.Targets.Add(host, request.Target, target, created);
            key = created;
        }
        else
        {
            return HttpCache.Synthetic(error!.Status, error.Reason);
        }

        var proxyRequest = new ProxyRequest
        {
            Method = request.Method,
            Target = target,
            PrimaryKey = key,
            Range = request.Range,
            IfNoneMatch = request.IfNoneMatch,
            IfModifiedSince = request.IfModifiedSince,
            IfRange = request.IfRange,
            CacheControl = request.CacheControl,
            CdnLoop = request.CdnLoop,
            HasAuthorization = request.HasAuthorization,
            ClientAddress = _client,
            Header = request.Header,
            AllHeaders = request.AllHeaders,
            Body = body,
            BodyLength = body is null ? null : request.ContentLength,
        };
        return await _services.Cache.HandleAsync(proxyRequest, CancellationToken.None);
    }

    /// <summary>Writes the response; returns the body bytes sent and whether the connection may stay open.</summary>
    private async ValueTask<(long Sent, bool KeepAlive)> RenderAsync(CacheResponse response, FastRequest request, bool keepAlive)
    {
        var noBody = response.HeadersOnly || response.Source == BodySource.None || response.Status is 204 or 304 or < 200;
        var length = noBody && !response.HeadersOnly ? 0 : response.Length;
        var chunked = !noBody && length < 0 && !request.Http10;
        if (!noBody && length < 0 && request.Http10)
        {
            keepAlive = false; // HTTP/1.0 has no chunking: the end of the body is the end of the connection
        }

        _out.Clear();
        _out.StatusLine(response.Status);
        var sink = new HeaderBuffer.Sink(_out);
        var declared = response.Status is 204 or 304 ? -1 : length;
        _services.Headers.Write(response, declared, request.Origin, request.Method == "OPTIONS" ? request.AccessControlRequestHeaders ?? "" : null, ref sink);
        if (chunked)
        {
            _out.Header("Transfer-Encoding"u8, "chunked"u8);
        }

        if (!keepAlive)
        {
            _out.Header("Connection"u8, "close"u8);
        }
        else if (request.Http10)
        {
            _out.Header("Connection"u8, "keep-alive"u8);
        }

        _out.Append("\r\n"u8);
        if (noBody)
        {
            await SendAsync(_out.Written);
            return (0, keepAlive);
        }

        switch (response.Source)
        {
            case BodySource.Bytes:
                _out.Append(response.Bytes.Span);
                await SendAsync(_out.Written);
                return (response.Bytes.Length, keepAlive);
            case BodySource.File when response.Length <= _options.InlineBodyBytes:
                // Playlists and other small bodies: read behind the headers, one write for both.
                var span = _out.Reserve((int)response.Length);
                var read = response.Lease!.Read(span, response.Offset);
                if (read != response.Length)
                {
                    throw new IOException("body file ended early");
                }

                _out.Length += read;
                await SendAsync(_out.Written);
                return (read, keepAlive);
            case BodySource.File:
                await _output.SendHeadAndFileAsync(_out.Written, response.Lease!, response.Offset, response.Length);
                return (response.Length, keepAlive);
            case BodySource.Fill:
                await SendAsync(_out.Written);
                return (await SendFillAsync(response, chunked), keepAlive);
            default:
                await SendAsync(_out.Written);
                return (await SendUpstreamAsync(response, chunked), keepAlive);
        }
    }

    private async ValueTask<long> SendFillAsync(CacheResponse response, bool chunked)
    {
        var fill = response.Fill!;
        var lease = response.Lease!;
        var position = response.Offset;
        var end = response.Length >= 0 ? response.Offset + response.Length : long.MaxValue;
        while (position < end)
        {
            var available = await fill.WaitForDataAsync(position);
            if (available == position)
            {
                break;
            }

            var count = Math.Min(available, end) - position;
            if (chunked)
            {
                _out.Clear();
                _out.ChunkHeader(count);
                await SendAsync(_out.Written);
            }

            await SendFileAsync(lease, position, count);
            if (chunked)
            {
                await SendAsync("\r\n"u8.ToArray());
            }

            position += count;
        }

        if (chunked)
        {
            await SendAsync("0\r\n\r\n"u8.ToArray());
        }

        return position - response.Offset;
    }

    private async ValueTask<long> SendUpstreamAsync(CacheResponse response, bool chunked)
    {
        await using var stream = await response.Upstream!.Content.ReadAsStreamAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(16, (64 * 1024) - 32))) > 0)
            {
                if (chunked)
                {
                    _out.Clear();
                    _out.ChunkHeader(read);
                    _out.Append(buffer.AsSpan(16, read));
                    _out.Append("\r\n"u8);
                    await SendAsync(_out.Written);
                }
                else
                {
                    await SendAsync(buffer.AsMemory(16, read));
                }

                total += read;
            }

            if (chunked)
            {
                await SendAsync("0\r\n\r\n"u8.ToArray());
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ValueTask SendFileAsync(Cdn.Caching.Storage.BodyLease lease, long position, long count) => _output.SendFileAsync(lease, position, count);

    private ValueTask SendAsync(ReadOnlyMemory<byte> bytes) => _output.SendAsync(bytes);

    private async Task SendErrorAsync(int status, string reason)
    {
        try
        {
            using var response = HttpCache.Synthetic(status, reason);
            _out.Clear();
            _out.StatusLine(status);
            var sink = new HeaderBuffer.Sink(_out);
            _services.Headers.Write(response, response.Length, null, null, ref sink);
            _out.Header("Connection"u8, "close"u8);
            _out.Append("\r\n"u8);
            _out.Append(response.Bytes.Span);
            await SendAsync(_out.Written);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The client is gone already.
        }
    }

    /// <summary>
    /// Closes without losing the last response: FIN after what was sent, then read and discard until the client
    /// closes (or 2 s pass). Closing with unread input would make the kernel send RST, which can destroy the
    /// response still in flight.
    /// </summary>
    private async Task CloseGracefullyAsync()
    {
        try
        {
            await _output.ShutdownSendAsync();
            ResetPhase(TimeSpan.FromSeconds(2));
            while (true)
            {
                var result = await _input.ReadAsync(_phase.Token);
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // Done either way.
        }
    }

    private void Abort() => _output.Abort();

    private void ResetPhase(TimeSpan timeout)
    {
        if (!_phase.TryReset())
        {
            _phase.Dispose();
            _phase = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _services.Time);
        }

        _phase.CancelAfter(timeout);
    }

    private static void TryCancel(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _phase.Dispose();
        _out.Dispose();
    }
}
