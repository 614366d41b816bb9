using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Storage;
using Cdn.Proxy.Diagnostics;

namespace Cdn.Proxy.Caching;

/// <summary>Where a response body comes from.</summary>
public enum BodySource
{
    /// <summary>No body (HEAD, 304, 204, 416 without body).</summary>
    None,

    /// <summary>A stored body file: <see cref="CacheResponse.Lease"/> from <see cref="CacheResponse.Offset"/>, <see cref="CacheResponse.Length"/> bytes.</summary>
    File,

    /// <summary>A fill in progress: read from <see cref="CacheResponse.Lease"/> as <see cref="CacheResponse.Fill"/> advances.</summary>
    Fill,

    /// <summary>An upstream response relayed as it arrives (pass-through).</summary>
    Upstream,

    /// <summary>A small generated body (<see cref="CacheResponse.Bytes"/>).</summary>
    Bytes,
}

/// <summary>
/// A response the cache decided on, for a front end (Kestrel or the fast path) to render: status, the entry
/// whose metadata makes the headers, and the body source. Owns the lease or upstream response: dispose it.
/// </summary>
public sealed class CacheResponse : IDisposable
{
    /// <summary>HTTP status.</summary>
    public int Status { get; init; }

    /// <summary>How it was produced.</summary>
    public CacheResult Result { get; init; }

    /// <summary>The stored (or being-filled) entry the headers come from, if any.</summary>
    public CacheEntry? Entry { get; init; }

    /// <summary>Body kind.</summary>
    public BodySource Source { get; init; }

    /// <summary>The body file lease (File and Fill).</summary>
    public BodyLease? Lease { get; init; }

    /// <summary>The fill being read (Fill).</summary>
    public CacheFill? Fill { get; init; }

    /// <summary>The relayed upstream response (Upstream).</summary>
    public HttpResponseMessage? Upstream { get; init; }

    /// <summary>A generated body (Bytes).</summary>
    public ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>First body byte to send (a range start).</summary>
    public long Offset { get; init; }

    /// <summary>Body bytes to send, or -1 when unknown (a fill of unknown length: chunked).</summary>
    public long Length { get; init; }

    /// <summary>Full representation length for Content-Range (206, 416).</summary>
    public long TotalLength { get; init; } = -1;

    /// <summary>True for a 206 (Content-Range: bytes first-last/total).</summary>
    public bool IsPartial { get; init; }

    /// <summary>Age header value in seconds (cached responses).</summary>
    public long Age { get; init; } = -1;

    /// <summary>True when no body is sent even though one exists (HEAD).</summary>
    public bool HeadersOnly { get; init; }

    /// <summary>Reason text for errors (logged and sent in generated bodies).</summary>
    public string? Reason { get; init; }

    /// <summary>Extra headers (Allow, Retry-After, WWW-Authenticate…).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders { get; init; }

    /// <inheritdoc />
    public void Dispose()
    {
        Lease?.Dispose();
        Upstream?.Dispose();
    }
}
