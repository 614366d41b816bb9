using System.Net;
using System.Net.Http.Headers;
using Cdn.Caching.Keys;
using Cdn.Proxy.Upstream;

namespace EdgeNode.Fill;

/// <summary>
/// Where a fill comes from: peer edges of the site that hold the object (asked with
/// <c>Cache-Control: only-if-cached</c>, so a peer without it answers 504 at once instead of fetching it),
/// then the node's shields and origins through a client of its own — its own few connections, so fill traffic
/// never queues player misses behind it on the upstream connection pool.
/// </summary>
internal sealed class FillSources : IDisposable
{
    private readonly HttpMessageInvoker _peers;
    private readonly UpstreamClient _upstream;
    private readonly string _nodeName;
    private readonly TimeSpan _peerTimeout;

    public FillSources(UpstreamClient upstream, string nodeName, FillAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _upstream = upstream;
        _nodeName = nodeName;
        _peerTimeout = options.PeerTimeout;
        _peers = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectTimeout = options.PeerTimeout,
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
        });
    }

    /// <summary>Peers answered (200 from cache) since start.</summary>
    public long PeerHits => Interlocked.Read(ref _peerHits);

    private long _peerHits;

    /// <summary>Tries <paramref name="peers"/> in order, then the upstream tier.</summary>
    public async Task<UpstreamResult> SendAsync(IReadOnlyList<Uri> peers, UpstreamRequest request, CacheKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var peer in peers)
        {
            if (await FromPeerAsync(peer, request, cancellationToken) is { } response)
            {
                Interlocked.Increment(ref _peerHits);
                return new UpstreamResult(response, null, null, false);
            }
        }

        return await _upstream.SendAsync(request, key, cancellationToken);
    }

    private async Task<HttpResponseMessage?> FromPeerAsync(Uri peer, UpstreamRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(peer, request.PathAndQuery)) { Version = HttpVersion.Version11 };
        message.Headers.Host = request.Host;
        message.Headers.CacheControl = new CacheControlHeaderValue { OnlyIfCached = true };
        message.Headers.TryAddWithoutValidation("Accept-Encoding", "identity");
        message.Headers.TryAddWithoutValidation("Via", $"1.1 {_nodeName}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_peerTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _peers.SendAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }

        if (response.StatusCode == HttpStatusCode.OK)
        {
            return response;
        }

        response.Dispose();
        return null;
    }

    public void Dispose()
    {
        _peers.Dispose();
        _upstream.Dispose();
    }
}
