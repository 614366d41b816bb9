using System.Text;
using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Storage;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Http;

namespace Cdn.Proxy.Caching;

/// <summary>
/// Turns a stored or filling entry plus a request into a response: conditional requests (If-None-Match by
/// weak comparison, else If-Modified-Since) become 304; a single byte range becomes 206 — honoured only when
/// If-Range still matches by strong comparison — or 416; HEAD drops the body.
/// </summary>
internal static class EntryResponder
{
    public static CacheResponse FromFile(CacheEntry entry, BodyLease? lease, ProxyRequest request, CacheResult result, long nowMs)
        => Respond(entry, lease, null, entry.Length, request, result, nowMs);

    public static CacheResponse FromFill(CacheEntry entry, CacheFill fill, BodyLease lease, ProxyRequest request, long nowMs)
    {
        // A fill of unknown length cannot answer ranges until it completes: send it whole, chunked.
        var length = fill.DeclaredLength >= 0 ? fill.DeclaredLength : fill.State == FillState.Completed ? fill.BytesWritten : -1;
        return Respond(entry, lease, fill, length, request, CacheResult.Miss, nowMs);
    }

    private static CacheResponse Respond(CacheEntry entry, BodyLease? lease, CacheFill? fill, long length, ProxyRequest request, CacheResult result, long nowMs)
    {
        var age = entry.CurrentAge(nowMs);
        var source = lease is null ? BodySource.None : fill is null ? BodySource.File : BodySource.Fill;
        if (entry.Status == 200 && NotModified(entry, request))
        {
            lease?.Dispose();
            return new CacheResponse { Status = 304, Result = result, Entry = entry, Source = BodySource.None, Age = age, Length = 0 };
        }

        var head = request.Method == "HEAD";
        if (entry.Status == 200 && length >= 0 && request.Range is { Length: > 0 } range && IfRangeAllows(entry, request.IfRange))
        {
            var resolved = ByteRange.Resolve(Encoding.ASCII.GetBytes(range), length);
            if (resolved.Kind == RangeKind.Unsatisfiable)
            {
                lease?.Dispose();
                return new CacheResponse { Status = 416, Result = result, Entry = entry, Source = BodySource.None, Age = age, TotalLength = length, Length = 0 };
            }

            if (resolved.Kind == RangeKind.Partial)
            {
                return new CacheResponse
                {
                    Status = 206, Result = result, Entry = entry, Source = source, Lease = lease, Fill = fill, Age = age,
                    Offset = resolved.Start, Length = resolved.Length, TotalLength = length, IsPartial = true, HeadersOnly = head,
                };
            }
        }

        return new CacheResponse
        {
            Status = entry.Status, Result = result, Entry = entry, Source = source, Lease = lease, Fill = fill, Age = age,
            Offset = 0, Length = length, TotalLength = length, HeadersOnly = head,
        };
    }

    private static bool NotModified(CacheEntry entry, ProxyRequest request)
    {
        if (request.IfNoneMatch is { Length: > 0 } inm)
        {
            return EntityTags.WeakMatchAny(Encoding.ASCII.GetBytes(inm), entry.ETag);
        }

        if (request.IfModifiedSince is { Length: > 0 } ims && entry.LastModified > 0 && HttpDates.Parse(ims) is { } since)
        {
            return entry.LastModified <= since.ToUnixTimeSeconds();
        }

        return false;
    }

    private static bool IfRangeAllows(CacheEntry entry, string? ifRange)
    {
        if (string.IsNullOrEmpty(ifRange))
        {
            return true;
        }

        var value = ifRange.Trim();
        if (value.StartsWith('"') || value.StartsWith("W/", StringComparison.Ordinal))
        {
            return EntityTags.StrongEquals(Encoding.ASCII.GetBytes(value), entry.ETag);
        }

        // A date validator is strong only when it equals Last-Modified exactly (RFC 9110 §13.1.5).
        return HttpDates.Parse(value) is { } date && entry.LastModified > 0 && date.ToUnixTimeSeconds() == entry.LastModified;
    }
}
