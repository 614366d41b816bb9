using System.Net;
using Cdn.Caching.Keys;
using Cdn.Proxy.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Upstream;

/// <summary>
/// Sends requests upstream over pooled connections (SocketsHttpHandler; Yarp is not restorable here),
/// trying servers in the pool's order for the object: a connect error, a timeout or a 502/503/504 counts
/// against the server (unless a parent marks it, with Proxy-Status, as its upstream's failure) and moves on
/// to the next one; the first other answer is returned with its body
/// unread. Adds Via and CDN-Loop (RFC 8586) so a misconfigured parent loop is caught.
/// When every server is held down, those held down only by passive health are tried anyway, in order (as
/// nginx does when all its servers are marked failed): passive marks also come from answers that may be
/// specific to some objects (an origin's 503 for what it lacks), and refusing every request would turn them
/// into an outage. Servers that failed their active probes stay skipped.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly UpstreamPool _pool;
    private readonly UpstreamOptions _options;
    private readonly HttpMessageInvoker _http;
    private readonly ProxyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _via;
    private readonly string _loopToken;

    /// <summary>Creates the client. <paramref name="nodeName"/> names this node in Via and CDN-Loop.</summary>
    public UpstreamClient(UpstreamPool pool, UpstreamOptions options, string nodeName, ProxyMetrics metrics, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pool = pool;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _via = $"1.1 {nodeName}";
        _loopToken = nodeName;
        _http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            EnableMultipleHttp2Connections = true,
            ResponseDrainTimeout = TimeSpan.FromSeconds(2),
        });
    }

    /// <summary>The servers this client uses.</summary>
    public UpstreamPool Pool => _pool;

    /// <summary>The CDN-Loop token of this node (a request already carrying it is a loop).</summary>
    public string LoopToken => _loopToken;

    /// <summary>
    /// Sends <paramref name="request"/> for the object <paramref name="key"/> (which picks the parent), not to the
    /// servers in <paramref name="skip"/>.
    /// </summary>
    public async Task<UpstreamResult> SendAsync(UpstreamRequest request, CacheKey key, CancellationToken cancellationToken,
        IReadOnlyCollection<UpstreamServer>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? lastError = null;
        var timedOut = false;
        HttpResponseMessage? lastBad = null;
        UpstreamServer? lastBadServer = null;
        var candidates = _pool.Order(key);
        if (skip is { Count: > 0 })
        {
            candidates.RemoveAll(skip.Contains);
        }

        var attempted = false;
        var despiteMarks = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            var server = candidates[i];
            if (!server.TryAcquire() && !(despiteMarks && !server.ProbesHoldDown))
            {
                lastError ??= $"{server.Name} is down";
                if (i == candidates.Count - 1 && !attempted && !despiteMarks)
                {
                    despiteMarks = true; // every server is held down: try again, ignoring passive marks
                    i = -1;
                }

                continue;
            }

            attempted = true;

            var started = _time.GetTimestamp();
            try
            {
                var response = await SendToAsync(server, request, cancellationToken);
                var status = (int)response.StatusCode;
                _metrics.Upstream(server.Name, ProxyMetrics.Status(status), _time.GetElapsedTime(started));
                if (!server.IsParent)
                {
                    _metrics.OriginRequest(server.Name, ProxyMetrics.Status(status));
                    OriginBodyContent.Wrap(response, _metrics, server.Name);
                }

                if (status is 502 or 503 or 504 || (status >= 500 && !server.IsParent))
                {
                    // A parent that says (Proxy-Status, RFC 9209) it is relaying its own upstream's failure is alive:
                    // try the next server, but do not hold the failure against this one.
                    if (!(server.IsParent && response.Headers.Contains("Proxy-Status")))
                    {
                        server.RecordFailure();
                    }

                    ProxyLog.UpstreamFailed(_logger, server.Name, request.PathAndQuery, $"status {status}");
                    lastBad?.Dispose();
                    lastBad = response;
                    lastBadServer = server;
                    lastError = $"{server.Name} answered {status}";
                    continue;
                }

                server.RecordSuccess();
                lastBad?.Dispose();
                return new UpstreamResult(response, server, null, false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                server.RecordFailure();
                timedOut = true;
                var kind = IsConnectTimeout(ex) ? UpstreamTimeoutKind.Connect : UpstreamTimeoutKind.FirstByte;
                lastError = kind == UpstreamTimeoutKind.Connect
                    ? $"{server.Name} did not accept a connection within {_options.ConnectTimeout.TotalSeconds:0.#} s"
                    : $"{server.Name} did not answer within {_options.FirstByteTimeout.TotalSeconds:0.#} s";
                Failed(server, "timeout", started, kind);
                ProxyLog.UpstreamFailed(_logger, server.Name, request.PathAndQuery, lastError);
            }
            catch (HttpRequestException ex)
            {
                server.RecordFailure();
                timedOut = IsConnectTimeout(ex);
                lastError = $"{server.Name}: {ex.Message}";
                Failed(server, timedOut ? "timeout" : "error", started, timedOut ? UpstreamTimeoutKind.Connect : null);
                ProxyLog.UpstreamFailed(_logger, server.Name, request.PathAndQuery, ex.Message);
            }
            catch (IOException ex)
            {
                server.RecordFailure();
                lastError = $"{server.Name}: {ex.Message}";
                Failed(server, "error", started, null);
            }
        }

        // Every server failed; an upstream 5xx answer is still the most informative thing to relay.
        return lastBad is not null
            ? new UpstreamResult(lastBad, lastBadServer, lastError, false)
            : new UpstreamResult(null, null, lastError ?? "no upstream configured", timedOut);
    }

    private void Failed(UpstreamServer server, string outcome, long started, UpstreamTimeoutKind? timeout)
    {
        _metrics.Upstream(server.Name, outcome, _time.GetElapsedTime(started));
        if (!server.IsParent)
        {
            _metrics.OriginRequest(server.Name, outcome);
        }

        if (timeout is { } kind)
        {
            _metrics.UpstreamTimeout(server.Name, kind);
        }
    }

    /// <summary>SocketsHttpHandler reports an elapsed ConnectTimeout as a cancellation caused by a TimeoutException.</summary>
    private static bool IsConnectTimeout(Exception ex)
    {
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<HttpResponseMessage> SendToAsync(UpstreamServer server, UpstreamRequest request, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(server.BaseUri, request.PathAndQuery))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = request.Body,
        };
        if (server.IsParent || _options.PreserveHost)
        {
            message.Headers.Host = request.Host;
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Headers.TryAddWithoutValidation("Via", _via);
        message.Headers.TryAddWithoutValidation("CDN-Loop", _loopToken);
        if (request.ClientAddress is { } client)
        {
            message.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        }

        if (server.BaseUri.IsFile)
        {
            return LocalOrigin.Send(server.BaseUri.LocalPath, message);
        }

        using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstByte.CancelAfter(_options.FirstByteTimeout);
        return await _http.SendAsync(message, firstByte.Token);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
