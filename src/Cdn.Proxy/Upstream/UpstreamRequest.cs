namespace Cdn.Proxy.Upstream;

/// <summary>What to ask upstream.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="PathAndQuery">Path and query to request.</param>
/// <param name="Host">The client's Host (sent to parents, and to origins when PreserveHost).</param>
/// <param name="Headers">Extra request headers (validators for revalidation; client headers for pass-through).</param>
/// <param name="Body">Request body for pass-through of unsafe methods.</param>
/// <param name="ClientAddress">The client's address for X-Forwarded-For.</param>
public sealed record UpstreamRequest(
    HttpMethod Method,
    string PathAndQuery,
    string Host,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    HttpContent? Body = null,
    string? ClientAddress = null);

/// <summary>The outcome of trying the upstream servers.</summary>
/// <param name="Response">The response (headers read, body not yet), or null when every server failed.</param>
/// <param name="Server">The server that answered.</param>
/// <param name="Error">Why nothing answered (or why the last server failed).</param>
/// <param name="TimedOut">True when the last failure was a timeout (→ 504 rather than 502).</param>
public sealed record UpstreamResult(HttpResponseMessage? Response, UpstreamServer? Server, string? Error, bool TimedOut);
