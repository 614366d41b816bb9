using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <content>Relaying what is not cached.</content>
public sealed partial class HttpCache
{
    /// <summary>Request headers never forwarded (hop-by-hop, or set by us).</summary>
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding",
        "Upgrade", "Host", "Content-Length", "Via", "X-Forwarded-For", "Expect",
    };

    /// <summary>
    /// Relays the request upstream and the answer back (uncacheable objects, authenticated requests, unsafe
    /// methods). A successful unsafe method invalidates the stored object at that URL (RFC 9111 §4.4).
    /// </summary>
    private async ValueTask<CacheResponse> PassAsync(ProxyRequest request, bool invalidate, CancellationToken cancellationToken)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.AllHeaders())
        {
            if (!NotForwarded.Contains(header.Key))
            {
                headers.Add(header);
            }
        }

        HttpContent? body = null;
        if (request.Body is not null && !request.IsSafe)
        {
            body = new StreamContent(request.Body);
            if (request.BodyLength is { } length)
            {
                body.Headers.ContentLength = length;
            }
        }

        var key = KeyOf(request);
        var result = await _upstream.SendAsync(
            new UpstreamRequest(new HttpMethod(request.Method), request.Target.UpstreamPathAndQuery, request.Target.Host, headers, body, request.ClientAddress),
            key,
            cancellationToken);
        if (result.Response is not { } response)
        {
            return UpstreamFailure(result.TimedOut ? 504 : 502, result.Error ?? "upstream failed");
        }

        var status = (int)response.StatusCode;
        if (invalidate && status is >= 200 and < 400)
        {
            _engine.Remove(key);
        }

        return Relay(response, request);
    }

    /// <summary>
    /// An upstream response relayed as it is; a relayed 5xx says, in Proxy-Status, that it was received from
    /// upstream (so a child cache does not hold it against this node).
    /// </summary>
    private CacheResponse Relay(HttpResponseMessage response, ProxyRequest request)
    {
        var status = (int)response.StatusCode;
        return new CacheResponse
        {
            Status = status,
            Result = CacheResult.Pass,
            Source = BodySource.Upstream,
            Upstream = response,
            Length = response.Content.Headers.ContentLength ?? -1,
            HeadersOnly = request.Method == "HEAD",
            ExtraHeaders = status >= 500 && !response.Headers.Contains("Proxy-Status")
                ? [new("Proxy-Status", $"{ProxyStatusName}; received-status={status}")]
                : null,
        };
    }
}
