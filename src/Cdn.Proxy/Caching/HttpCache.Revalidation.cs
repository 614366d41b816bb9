using Cdn.Caching.Index;
using Cdn.Caching.Keys;
using Cdn.Proxy.Http;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <content>Revalidating stale objects: one conditional request per object at a time.</content>
public sealed partial class HttpCache
{
    internal enum RevalidationKind
    {
        NotModified,
        Replaced,
        Failed,
    }

    internal sealed record Revalidation(RevalidationKind Kind, CacheEntry? Entry, int Status, string? Reason);

    /// <summary>
    /// Revalidates <paramref name="entry"/>, joining a revalidation of the same object already in progress.
    /// 304 refreshes the stored metadata; another storable answer replaces the object through a new fill; a
    /// failure or 5xx is reported so the caller can serve stale within stale-if-error.
    /// </summary>
    private Task<Revalidation> RevalidateAsync(CacheKey key, CacheEntry entry, ProxyRequest request, bool isVariant)
    {
        var mine = new TaskCompletionSource<Revalidation>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _revalidations.GetOrAdd(key.Hash, mine.Task);
        if (!ReferenceEquals(running, mine.Task))
        {
            return running;
        }

        _ = RunAsync();
        return mine.Task;

        async Task RunAsync()
        {
            try
            {
                mine.SetResult(await RevalidateCoreAsync(key, entry, request, isVariant));
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException or HttpRequestException)
            {
                mine.SetResult(new Revalidation(RevalidationKind.Failed, null, 503, ex.Message));
            }
            finally
            {
                _revalidations.TryRemove(new KeyValuePair<ulong, Task<Revalidation>>(key.Hash, mine.Task));
            }
        }
    }

    private async Task<Revalidation> RevalidateCoreAsync(CacheKey key, CacheEntry entry, ProxyRequest request, bool isVariant)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Accept-Encoding", "identity") };
        if (entry.ETag.Length > 0)
        {
            headers.Add(new("If-None-Match", System.Text.Encoding.ASCII.GetString(entry.ETag)));
        }
        else if (entry.LastModified > 0)
        {
            headers.Add(new("If-Modified-Since", HttpDates.FormatUnixSeconds(entry.LastModified)));
        }

        var requestTime = _time.GetUtcNow();
        var sent = new UpstreamRequest(HttpMethod.Get, request.Target.UpstreamPathAndQuery, request.Target.Host, headers, null, request.ClientAddress);
        var result = await _upstream.SendAsync(sent, key, _stopping.Token);
        if (result.Response is not { } response)
        {
            ProxyLog.RevalidationFailed(_logger, key.ToString(), result.Error ?? "no upstream");
            return new Revalidation(RevalidationKind.Failed, null, result.TimedOut ? 504 : 502, result.Error);
        }

        var status = (int)response.StatusCode;
        if (status == 304)
        {
            using (response)
            {
                var refreshed = _policy.Refresh(entry, request.Target.Path, response, requestTime, _time.GetUtcNow());
                CacheEntry? stored = null;
                _engine.TryUpdate(key, current =>
                {
                    // The object may have been replaced meanwhile; refresh only the body we validated.
                    stored = current.BodyId == entry.BodyId
                        ? refreshed with { Flags = current.Flags, Volume = current.Volume, BodyId = current.BodyId, Length = current.Length, Key = current.Key }
                        : current;
                    return stored;
                });
                return new Revalidation(RevalidationKind.NotModified, stored ?? refreshed, 304, null);
            }
        }

        if (status >= 500)
        {
            response.Dispose();
            ProxyLog.RevalidationFailed(_logger, key.ToString(), $"upstream answered {status}");
            return new Revalidation(RevalidationKind.Failed, null, status >= 502 ? status : 502, $"upstream answered {status}");
        }

        // A new representation (or 404/410: the object is gone). Store it through a fill that readers stream
        // from; report as soon as its headers are known rather than when the body has landed.
        if (_engine.TryStartFill(key, out var fill))
        {
            _ = FillFromResponseAsync(fill, response, result.Server, sent, request.Target.Path, requestTime, isVariant);
            await fill.WaitForHeadersAsync(_stopping.Token);
            if (fill.Outcome is FillOutcome.Pass)
            {
                // No longer cacheable: the stale copy must not be served again.
                _engine.Remove(key);
            }
        }
        else
        {
            response.Dispose();
        }

        return new Revalidation(RevalidationKind.Replaced, null, status, null);
    }
}
