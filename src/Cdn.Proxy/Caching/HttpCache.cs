using System.Collections.Concurrent;
using System.Text;
using Cdn.Caching;
using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Keys;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Http;
using Cdn.Proxy.Policy;
using Cdn.Proxy.Security;
using Cdn.Proxy.Upstream;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Caching;

/// <summary>
/// The HTTP cache of a node (edge or shield), independent of how requests arrive: looks requests up in the
/// engine, serves fresh objects, revalidates stale ones (in the background within stale-while-revalidate,
/// coalesced to one conditional request per object), serves stale on upstream errors within stale-if-error,
/// fills misses with one upstream fetch per object that every client streams from, relays what cannot be
/// cached, and invalidates on unsafe methods.
/// </summary>
public sealed partial class HttpCache : IDisposable
{
    private readonly CacheEngine _engine;
    private UpstreamClient _upstream; // replaced on an upstream reload (HttpCache.Upstreams.cs)
    private readonly ResponsePolicy _policy;
    private readonly CachePolicyOptions _options;
    private readonly UrlSignature _signatures;
    private readonly TimeProvider _time;
    private readonly ProxyMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ulong, long> _uncacheableUntil = new();
    private readonly ConcurrentDictionary<ulong, Task<Revalidation>> _revalidations = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Creates the cache over <paramref name="engine"/> and <paramref name="upstream"/>.</summary>
    public HttpCache(CacheEngine engine, UpstreamClient upstream, CachePolicyOptions options, UrlSignature signatures,
        HttpCacheIdentity identity, ProxyMetrics metrics, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _engine = engine;
        _upstream = upstream;
        _options = options;
        _policy = new ResponsePolicy(options);
        _signatures = signatures;
        Identity = identity;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>The node's identity.</summary>
    public HttpCacheIdentity Identity { get; }

    /// <summary>The engine underneath.</summary>
    public CacheEngine Engine => _engine;

    /// <summary>Metrics.</summary>
    public ProxyMetrics Metrics => _metrics;

    /// <summary>Answers <paramref name="request"/>. The caller renders and disposes the response.</summary>
    public async ValueTask<CacheResponse> HandleAsync(ProxyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CdnLoop is { } loop && ContainsToken(loop, _upstream.LoopToken))
        {
            return Synthetic(508, "request loop detected (CDN-Loop)");
        }

        if (!_signatures.Disabled)
        {
            switch (_signatures.Check(request.Target, _time.GetUtcNow().ToUnixTimeSeconds()))
            {
                case SignatureCheck.Missing:
                    return Synthetic(403, "signed URL required");
                case SignatureCheck.Expired:
                    return Synthetic(403, "signed URL expired");
                case SignatureCheck.Invalid:
                    return Synthetic(403, "invalid URL signature");
            }
        }

        if (request.Method == "OPTIONS")
        {
            return new CacheResponse { Status = 204, Result = CacheResult.Synthetic, Source = BodySource.None, Length = 0 };
        }

        if (!request.IsSafe)
        {
            return await PassAsync(request, invalidate: true, cancellationToken);
        }

        if (request.HasAuthorization)
        {
            return await PassAsync(request, invalidate: false, cancellationToken);
        }

        // only-if-cached (RFC 9111 §5.2.1.7) is how peer edges fill from each other: never fetched upstream, and
        // not demand (counting it would make fill traffic look popular).
        var onlyIfCached = request.CacheControl is not null && CacheControl.Parse(request.CacheControl).OnlyIfCached;
        var response = await CachedAsync(request, onlyIfCached, cancellationToken);
        if (response.Status is 200 or 206 && response.Result is not (CacheResult.Pass or CacheResult.Synthetic) && !onlyIfCached)
        {
            Popularity.Record(request.Target.CacheKey, Math.Max(0, response.Length));
        }

        return response;
    }

    /// <summary>What is requested most (reported to the control plane for fill planning).</summary>
    public PopularityTracker Popularity { get; } = new();

    private async ValueTask<CacheResponse> CachedAsync(ProxyRequest request, bool onlyIfCached, CancellationToken cancellationToken)
    {
        var primary = KeyOf(request);
        var key = primary;
        var isVariant = false;
        CacheEntry? varyStub = null;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var lookup = _engine.Lookup(key);
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            switch (lookup.Kind)
            {
                case CacheLookupKind.Hit:
                    var entry = lookup.Entry!;
                    if ((entry.Flags & EntryFlags.VaryStub) != 0)
                    {
                        lookup.Body?.Dispose();
                        if (isVariant)
                        {
                            return await PassAsync(request, invalidate: false, cancellationToken);
                        }

                        key = VariantKey(primary, entry.Vary, request);
                        isVariant = true;
                        varyStub = entry;
                        continue;
                    }

                    var age = entry.CurrentAge(now);
                    var clientWantsFresh = _options.HonorClientNoCache && ClientForbidsStale(request);
                    if (age < entry.FreshnessLifetime && !clientWantsFresh)
                    {
                        return EntryResponder.FromFile(entry, lookup.Body, request, CacheResult.Hit, now);
                    }

                    if (lookup.Fill is { } replacement)
                    {
                        // A revalidation found a new representation and is filling it: read that rather than
                        // revalidating the old copy again (which would fetch the object a second time).
                        lookup.Body?.Dispose();
                        if (await FromFillAsync(replacement, request, cancellationToken) is { } replaced)
                        {
                            return replaced;
                        }

                        continue;
                    }

                    if (onlyIfCached)
                    {
                        lookup.Body?.Dispose();
                        return Synthetic(504, "not stored fresh (only-if-cached)");
                    }

                    var mayServeStale = (entry.Flags & EntryFlags.MustRevalidate) == 0 && !clientWantsFresh;
                    if (mayServeStale && age < (long)entry.FreshnessLifetime + entry.StaleWhileRevalidate)
                    {
                        _ = RevalidateAsync(key, entry, request, isVariant);
                        return EntryResponder.FromFile(entry, lookup.Body, request, CacheResult.Stale, now);
                    }

                    var outcome = await RevalidateAsync(key, entry, request, isVariant).WaitAsync(cancellationToken);
                    switch (outcome.Kind)
                    {
                        case RevalidationKind.NotModified:
                            return EntryResponder.FromFile(outcome.Entry!, lookup.Body, request, CacheResult.Revalidated, _time.GetUtcNow().ToUnixTimeMilliseconds());
                        case RevalidationKind.Replaced:
                            lookup.Body?.Dispose();
                            continue;
                        default:
                            if (mayServeStale && age < (long)entry.FreshnessLifetime + entry.StaleIfError)
                            {
                                return EntryResponder.FromFile(entry, lookup.Body, request, CacheResult.StaleError, now);
                            }

                            lookup.Body?.Dispose();
                            return UpstreamFailure(outcome.Status, outcome.Reason ?? "upstream failed");
                    }

                case CacheLookupKind.Filling:
                    LiftThrottle(key.Hash);
                    var fromFill = await FromFillAsync(lookup.Fill!, request, cancellationToken);
                    if (fromFill is not null)
                    {
                        return fromFill;
                    }

                    continue;

                default:
                    if (onlyIfCached)
                    {
                        return Synthetic(504, "not stored (only-if-cached)");
                    }

                    if (_uncacheableUntil.TryGetValue(key.Hash, out var until) && until > now)
                    {
                        return await PassAsync(request, invalidate: false, cancellationToken);
                    }

                    if (_engine.TryStartFill(key, out var fill))
                    {
                        _ = FillFromUpstreamAsync(fill, request, FillHeaders(request, varyStub), isVariant);
                    }

                    var response = await FromFillAsync(fill, request, cancellationToken);
                    if (response is not null)
                    {
                        return response;
                    }

                    continue;
            }
        }

        return await PassAsync(request, invalidate: false, cancellationToken);
    }

    /// <summary>A response read from <paramref name="fill"/>, or null when the caller should look up again.</summary>
    private async ValueTask<CacheResponse?> FromFillAsync(CacheFill fill, ProxyRequest request, CancellationToken cancellationToken)
    {
        await fill.WaitForHeadersAsync(cancellationToken);
        switch (fill.State)
        {
            case FillState.Streaming:
            case FillState.Completed:
                var reader = fill.OpenReader();
                if (reader is null)
                {
                    return null; // completed and released between the two checks: look up again
                }

                return EntryResponder.FromFill(fill.Entry!, fill, reader, request, _time.GetUtcNow().ToUnixTimeMilliseconds());
            default:
                return fill.Outcome switch
                {
                    FillOutcome.Pass { Response: { } held } when held.Take() is { } relayed => Relay(relayed, request),
                    FillOutcome.Pass => await PassAsync(request, invalidate: false, cancellationToken),
                    FillOutcome.Retry => null,
                    FillOutcome.Error error => UpstreamFailure(error.Status, error.Reason),
                    _ => UpstreamFailure(502, fill.Error ?? "fill failed"),
                };
        }
    }

    private static bool ClientForbidsStale(ProxyRequest request)
    {
        if (string.IsNullOrEmpty(request.CacheControl))
        {
            return false;
        }

        var cc = CacheControl.Parse(request.CacheControl);
        return cc.NoCache || cc.MaxAge == 0;
    }

    /// <summary>
    /// The key of the variant of <paramref name="primary"/> selected by the request's values of the varied
    /// headers. Accept-Encoding is reduced to the encoding we would pick (br, gzip or none) so every browser's
    /// slightly different list does not make a variant of its own.
    /// </summary>
    private CacheKey VariantKey(CacheKey primary, byte[] vary, ProxyRequest request)
    {
        var sb = new StringBuilder(primary.ToString());
        foreach (var name in Encoding.ASCII.GetString(vary).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = request.Header(name)?.Trim() ?? "";
            if (name == "accept-encoding")
            {
                value = value.Contains("br", StringComparison.OrdinalIgnoreCase) ? "br" : value.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? "gzip" : "";
            }

            sb.Append('\n').Append(name).Append('=').Append(value.ToLowerInvariant());
        }

        return _engine.KeyHasher.Create(sb.ToString());
    }

    private static bool ContainsToken(string header, string token)
    {
        foreach (var part in header.Split(','))
        {
            var name = part.Split(';', 2)[0].Trim();
            if (string.Equals(name, token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A generated response with a short text body.</summary>
    public static CacheResponse Synthetic(int status, string reason)
    {
        var body = Encoding.UTF8.GetBytes($"{status} {reason}\n");
        return new CacheResponse
        {
            Status = status, Result = CacheResult.Synthetic, Source = BodySource.Bytes, Bytes = body, Length = body.Length, Reason = reason,
        };
    }

    /// <summary>
    /// A generated 502/503/504 because upstream failed, with a Proxy-Status header (RFC 9209) naming this node
    /// and the error: it tells a child cache that this node is alive and speaking for its upstream, so the
    /// child does not count the answer against this node's health (see <see cref="UpstreamClient"/>).
    /// </summary>
    private CacheResponse UpstreamFailure(int status, string reason)
    {
        var synthetic = Synthetic(status, reason);
        var error = status == 504 ? "http_response_timeout" : "destination_unavailable";
        return new CacheResponse
        {
            Status = synthetic.Status, Result = synthetic.Result, Source = synthetic.Source, Bytes = synthetic.Bytes, Length = synthetic.Length,
            Reason = reason,
            ExtraHeaders = [new("Proxy-Status", $"{ProxyStatusName}; error={error}; details={StructuredString(reason)}")],
        };
    }

    /// <summary>This node as the first member of a Proxy-Status entry (a token when it can be one, else a string).</summary>
    private string ProxyStatusName => char.IsAsciiLetter(Identity.NodeName[0]) ? Identity.NodeName : StructuredString(Identity.NodeName);

    /// <summary>An RFC 8941 string: printable ASCII, with quotes and backslashes escaped.</summary>
    private static string StructuredString(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return sb.Append('"').ToString();
    }

    private void RememberUncacheable(ulong hash)
    {
        if (_options.UncacheableMemory <= TimeSpan.Zero)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_uncacheableUntil.Count > 100_000)
        {
            foreach (var (k, until) in _uncacheableUntil)
            {
                if (until <= now)
                {
                    _uncacheableUntil.TryRemove(k, out _);
                }
            }
        }

        _uncacheableUntil[hash] = now + (long)_options.UncacheableMemory.TotalMilliseconds;
    }

    /// <summary>Aborts fills and revalidations still in progress (after the server has drained). Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private int _disposed;
}
