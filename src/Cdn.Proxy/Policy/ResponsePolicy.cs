using System.Net.Http.Headers;
using System.Text;
using Cdn.Caching.Index;
using Cdn.Proxy.Http;

namespace Cdn.Proxy.Policy;

/// <summary>
/// Decides whether an upstream response may be stored by a shared cache (RFC 9111 §3) and computes its
/// freshness (§4.2) — with CDN-Cache-Control (RFC 9213) taking precedence over Cache-Control, HLS defaults
/// when the origin is silent, and negative caching of 404/410.
/// </summary>
public sealed class ResponsePolicy
{
    /// <summary>Statuses a cache may store with heuristic or default freshness (RFC 9110 §15.1).</summary>
    private static readonly HashSet<int> HeuristicallyCacheable = [200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501];

    /// <summary>Response headers never stored: hop-by-hop ones, and those every response gets fresh from us.</summary>
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Date", "Age", "Content-Length", "Content-Range", "Accept-Ranges", "Server",
        "Via", "X-Cache", "CDN-Cache-Control", "Surrogate-Control", "Set-Cookie", "Content-Type", "ETag",
        "Last-Modified", "Vary", "Alt-Svc", "Strict-Transport-Security", "Access-Control-Allow-Origin",
        "Access-Control-Expose-Headers", "Access-Control-Allow-Credentials", "Timing-Allow-Origin", "CDN-Loop",
    };

    private const int MaxStoredHeaderBytes = 8192;

    private readonly CachePolicyOptions _options;

    /// <summary>Uses <paramref name="options"/>.</summary>
    public ResponsePolicy(CachePolicyOptions options) => _options = options;

    /// <summary>
    /// Judges <paramref name="response"/> to a GET for <paramref name="path"/> sent at <paramref name="requestTime"/>
    /// and received at <paramref name="responseTime"/>.
    /// </summary>
    public StoreDecision Decide(string path, bool requestHadAuthorization, HttpResponseMessage response, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var targeted = response.Headers.TryGetValues("CDN-Cache-Control", out var cdnValues) ? CacheControl.Parse(cdnValues) : default;
        var cc = targeted.Present ? targeted : CacheControl.Parse(response.Headers.TryGetValues("Cache-Control", out var ccValues) ? ccValues : []);

        if (cc.NoStore)
        {
            return StoreDecision.No("no-store");
        }

        if (cc.Private)
        {
            return StoreDecision.No("private");
        }

        if (requestHadAuthorization && !cc.Public && cc.SharedMaxAge is null && !cc.MustRevalidate)
        {
            return StoreDecision.No("request carried Authorization");
        }

        if (!_options.CacheResponsesWithSetCookie && response.Headers.Contains("Set-Cookie"))
        {
            return StoreDecision.No("response sets a cookie");
        }

        var vary = VaryHeaders(response);
        if (vary.Contains("*"))
        {
            return StoreDecision.No("Vary: *");
        }

        var date = response.Headers.Date;
        var lastModified = response.Content.Headers.LastModified;
        var hasExpires = response.Content.Headers.TryGetValues("Expires", out var expiresValues);
        var expires = hasExpires ? HttpDates.Parse(expiresValues!.FirstOrDefault()) : null;
        var explicitLifetime = ExplicitLifetime(cc, hasExpires, expires, date ?? responseTime);
        if (explicitLifetime is null && !HeuristicallyCacheable.Contains(status))
        {
            return StoreDecision.No($"status {status} without explicit freshness");
        }

        if (status is >= 500 or 206 or 304 or < 200)
        {
            return StoreDecision.No($"status {status} is not stored");
        }

        var negative = status is 404 or 410;
        var kind = MediaTypes.KindOf(path);
        var lifetime = explicitLifetime
            ?? (negative ? (int)_options.NegativeTtl.TotalSeconds
                : kind == MediaKind.Playlist ? (int)_options.PlaylistTtl.TotalSeconds
                : kind == MediaKind.Segment ? (int)_options.SegmentTtl.TotalSeconds
                : Heuristic(date ?? responseTime, lastModified));
        if (cc.NoCache)
        {
            lifetime = 0;
        }

        lifetime = (int)Math.Min(lifetime, _options.MaxTtl.TotalSeconds);
        var flags = (negative ? EntryFlags.Negative : EntryFlags.None) | (cc.MustRevalidate ? EntryFlags.MustRevalidate : EntryFlags.None);
        var entry = new CacheEntry
        {
            Key = [],
            Status = status,
            Flags = flags,
            ResponseTime = responseTime.ToUnixTimeMilliseconds(),
            InitialAge = InitialAge(response.Headers.Age, date, requestTime, responseTime),
            FreshnessLifetime = lifetime,
            StaleWhileRevalidate = cc.MustRevalidate ? 0 : cc.StaleWhileRevalidate ?? (int)_options.DefaultStaleWhileRevalidate.TotalSeconds,
            StaleIfError = cc.MustRevalidate ? 0 : cc.StaleIfError ?? (int)_options.DefaultStaleIfError.TotalSeconds,
            LastModified = lastModified?.ToUnixTimeSeconds() ?? 0,
            ContentType = MediaTypes.ContentTypeFor(path, response.Content.Headers.ContentType?.ToString()),
            ETag = response.Headers.ETag is { } etag ? Encoding.ASCII.GetBytes(etag.ToString()) : [],
            Headers = StoredHeaders(response),
            Vary = Encoding.ASCII.GetBytes(string.Join(',', vary)),
        };
        return new StoreDecision(true, null, entry, vary);
    }

    /// <summary>Freshness after a 304: the new response's directives and validators refresh the stored ones (RFC 9111 §4.3.4).</summary>
    public CacheEntry Refresh(CacheEntry stored, string path, HttpResponseMessage notModified, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(notModified);
        var targeted = notModified.Headers.TryGetValues("CDN-Cache-Control", out var cdnValues) ? CacheControl.Parse(cdnValues) : default;
        var cc = targeted.Present ? targeted : CacheControl.Parse(notModified.Headers.TryGetValues("Cache-Control", out var ccValues) ? ccValues : []);
        var date = notModified.Headers.Date;
        var hasExpires = notModified.Content.Headers.TryGetValues("Expires", out var expiresValues);
        var expires = hasExpires ? HttpDates.Parse(expiresValues!.FirstOrDefault()) : null;
        var lifetime = ExplicitLifetime(cc, hasExpires, expires, date ?? responseTime);
        if (lifetime is null)
        {
            var kind = MediaTypes.KindOf(path);
            lifetime = (stored.Flags & EntryFlags.Negative) != 0 ? (int)_options.NegativeTtl.TotalSeconds
                : kind == MediaKind.Playlist ? (int)_options.PlaylistTtl.TotalSeconds
                : kind == MediaKind.Segment ? (int)_options.SegmentTtl.TotalSeconds
                : stored.FreshnessLifetime;
        }

        return stored with
        {
            ResponseTime = responseTime.ToUnixTimeMilliseconds(),
            InitialAge = InitialAge(notModified.Headers.Age, date, requestTime, responseTime),
            FreshnessLifetime = cc.NoCache ? 0 : (int)Math.Min(lifetime.Value, _options.MaxTtl.TotalSeconds),
            ETag = notModified.Headers.ETag is { } etag ? Encoding.ASCII.GetBytes(etag.ToString()) : stored.ETag,
            StaleWhileRevalidate = cc.StaleWhileRevalidate ?? stored.StaleWhileRevalidate,
            StaleIfError = cc.StaleIfError ?? stored.StaleIfError,
        };
    }

    /// <summary>s-maxage, then max-age, then Expires - Date (an invalid Expires means already expired).</summary>
    private static int? ExplicitLifetime(CacheControl cc, bool hasExpires, DateTimeOffset? expires, DateTimeOffset date)
    {
        if (cc.SharedMaxAge is { } s)
        {
            return s;
        }

        if (cc.MaxAge is { } m)
        {
            return m;
        }

        if (hasExpires)
        {
            return expires is { } e ? (int)Math.Clamp((e - date).TotalSeconds, 0, int.MaxValue) : 0;
        }

        return null;
    }

    private int Heuristic(DateTimeOffset date, DateTimeOffset? lastModified)
    {
        if (lastModified is not { } lm || lm >= date)
        {
            return 0;
        }

        var seconds = (date - lm).TotalSeconds * _options.HeuristicFraction;
        return (int)Math.Min(seconds, _options.HeuristicMax.TotalSeconds);
    }

    /// <summary>
    /// Initial age: the Age header plus the time the response was in flight (RFC 9111 §4.2.3's
    /// corrected_age_value). Unlike the RFC we do not take the maximum with the apparent age
    /// (response time − Date): an origin whose clock lags ours by more than a playlist's two-second lifetime
    /// would make every playlist stale on arrival. Varnish makes the same choice.
    /// </summary>
    public static int InitialAge(TimeSpan? ageHeader, DateTimeOffset? date, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        _ = date;
        var responseDelay = Math.Max(0, (responseTime - requestTime).TotalSeconds);
        var corrected = (ageHeader?.TotalSeconds ?? 0) + responseDelay;
        return (int)Math.Min(int.MaxValue, corrected);
    }

    private static string[] VaryHeaders(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Vary", out var values))
        {
            return [];
        }

        return values.SelectMany(v => v.Split(',')).Select(v => v.Trim().ToLowerInvariant())
            .Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    private static byte[] StoredHeaders(HttpResponseMessage response)
    {
        var block = new StringBuilder();
        Append(block, response.Headers);
        Append(block, response.Content.Headers);
        var bytes = Encoding.UTF8.GetBytes(block.ToString());
        return bytes.Length <= MaxStoredHeaderBytes ? bytes : [];
    }

    private static void Append(StringBuilder block, HttpHeaders headers)
    {
        foreach (var (name, values) in headers)
        {
            if (NotStored.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
                {
                    continue; // never replay a header that could split a response
                }

                block.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }
    }
}
