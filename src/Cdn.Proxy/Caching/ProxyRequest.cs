using Cdn.Proxy.Keys;

namespace Cdn.Proxy.Caching;

/// <summary>A client request as the cache needs it, filled by a front end.</summary>
public sealed class ProxyRequest
{
    /// <summary>Method (upper case).</summary>
    public required string Method { get; init; }

    /// <summary>Normalized target.</summary>
    public required RequestTarget Target { get; init; }

    /// <summary>The cache key of <see cref="Target"/>, when the front end already has it (its target cache); else computed.</summary>
    public Cdn.Caching.Keys.CacheKey? PrimaryKey { get; init; }

    /// <summary>Range header.</summary>
    public string? Range { get; init; }

    /// <summary>If-None-Match header.</summary>
    public string? IfNoneMatch { get; init; }

    /// <summary>If-Modified-Since header.</summary>
    public string? IfModifiedSince { get; init; }

    /// <summary>If-Range header.</summary>
    public string? IfRange { get; init; }

    /// <summary>Cache-Control request header.</summary>
    public string? CacheControl { get; init; }

    /// <summary>CDN-Loop request header.</summary>
    public string? CdnLoop { get; init; }

    /// <summary>True when the request carries Authorization.</summary>
    public bool HasAuthorization { get; init; }

    /// <summary>The client's address.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>Any request header by name (Vary, pass-through).</summary>
    public required Func<string, string?> Header { get; init; }

    /// <summary>All request headers (pass-through).</summary>
    public required Func<IEnumerable<KeyValuePair<string, string>>> AllHeaders { get; init; }

    /// <summary>Request body for methods that have one (pass-through).</summary>
    public Stream? Body { get; init; }

    /// <summary>Request body length, when known.</summary>
    public long? BodyLength { get; init; }

    /// <summary>True for GET and HEAD.</summary>
    public bool IsSafe => Method is "GET" or "HEAD";
}
