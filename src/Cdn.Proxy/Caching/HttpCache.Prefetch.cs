using System.Collections.Concurrent;
using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Keys;
using Cdn.Proxy.Keys;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <content>
/// Prefetching (fill plans): storing an object ahead of demand through the same fill a player's miss starts —
/// one fill per object, the same response policy, the same metadata — from upstreams the caller chooses
/// (peer edges, then the node's own parents and origins), with the body paced by a throttle.
/// </content>
public sealed partial class HttpCache
{
    private readonly ConcurrentDictionary<ulong, FillPace> _throttledFills = new();
    private int _throttledFillCount;

    /// <summary>
    /// Makes sure <paramref name="target"/> is stored. Stored already: nothing is fetched. A fill in progress (a
    /// player's miss): waits for it. Otherwise the object is fetched through <paramref name="send"/> (which
    /// tries whichever upstreams it likes and returns the first useful answer, body unread), stored as a
    /// player's miss would store it, and its body read at the pace of <paramref name="throttle"/> — unless a
    /// player asks for the object meanwhile, which lifts the throttle for the rest of that body.
    /// </summary>
    public async Task<PrefetchResult> PrefetchAsync(RequestTarget target, Func<UpstreamRequest, CacheKey, CancellationToken, Task<UpstreamResult>> send,
        IFillThrottle? throttle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(send);
        var request = new ProxyRequest { Method = "GET", Target = target, Header = static _ => null, AllHeaders = static () => [] };
        var primary = _engine.KeyHasher.Create(target.CacheKey);
        var key = primary;
        var isVariant = false;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var stored = _engine.Peek(key);
            if (stored is not null && (stored.Flags & EntryFlags.VaryStub) != 0 && !isVariant)
            {
                key = VariantKey(primary, stored.Vary, request);
                isVariant = true;
                continue;
            }

            if (stored is not null)
            {
                return new PrefetchResult(PrefetchOutcome.AlreadyCached, stored.Length, 0, null, null);
            }

            if (!_engine.TryStartFill(key, out var fill))
            {
                return await JoinAsync(fill, cancellationToken);
            }

            // Registered before the request goes out: a player may join while the upstream has not answered yet.
            var pace = throttle is null ? null : new FillPace();
            if (pace is not null)
            {
                _throttledFills[key.Hash] = pace;
                Interlocked.Increment(ref _throttledFillCount);
            }

            var requestTime = _time.GetUtcNow();
            var sent = new UpstreamRequest(HttpMethod.Get, target.UpstreamPathAndQuery, target.Host, [new("Accept-Encoding", "identity")]);
            UpstreamResult result;
            ThrottledContent? paced = null;
            string? source;
            try
            {
                try
                {
                    result = await send(sent, key, cancellationToken);
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
                {
                    fill.Outcome = new FillOutcome.Error(503, "prefetch cancelled");
                    fill.Abandon("prefetch cancelled");
                    throw;
                }

                if (result.Response is null)
                {
                    var reason = result.Error ?? "no upstream answered";
                    fill.Outcome = new FillOutcome.Error(result.TimedOut ? 504 : 502, reason);
                    fill.Abandon(reason);
                    return new PrefetchResult(PrefetchOutcome.Failed, 0, 0, null, reason);
                }

                source = result.Server?.Name ?? result.Response.RequestMessage?.RequestUri?.Authority;
                if (pace is not null)
                {
                    paced = new ThrottledContent(result.Response.Content, throttle!, pace, cancellationToken);
                    result.Response.Content = paced;
                }

                await FillFromResponseAsync(fill, result.Response, result.Server, sent, target.Path, requestTime, isVariant);
            }
            finally
            {
                if (pace is not null)
                {
                    _throttledFills.TryRemove(new KeyValuePair<ulong, FillPace>(key.Hash, pace));
                    Interlocked.Decrement(ref _throttledFillCount);
                }
            }

            var fetched = paced?.BytesRead ?? fill.BytesWritten;
            switch (fill.State)
            {
                case FillState.Completed when _engine.Peek(key) is { } entry:
                    return new PrefetchResult(PrefetchOutcome.Filled, entry.Length, fetched, source, null);
                case FillState.Completed:
                    return new PrefetchResult(PrefetchOutcome.NotCacheable, 0, fetched, source, "the cache declined to keep it (admission, purge, or no room)");
                case FillState.Abandoned when fill.Outcome is FillOutcome.Retry:
                    continue; // a Vary stub was stored: fill the variant
                case FillState.Abandoned when fill.Outcome is FillOutcome.Pass pass:
                    return new PrefetchResult(PrefetchOutcome.NotCacheable, 0, fetched, source, pass.Reason);
                case FillState.Abandoned when fill.Outcome is FillOutcome.Error error:
                    return new PrefetchResult(PrefetchOutcome.Failed, 0, fetched, source, $"{error.Status} {error.Reason}");
                default:
                    return new PrefetchResult(PrefetchOutcome.Failed, 0, fetched, source, fill.Error ?? "fill failed");
            }
        }

        return new PrefetchResult(PrefetchOutcome.NotCacheable, 0, 0, null, "the object varies in a way a prefetch cannot fill");
    }

    private async Task<PrefetchResult> JoinAsync(CacheFill fill, CancellationToken cancellationToken)
    {
        await fill.WaitForHeadersAsync(cancellationToken);
        if (fill.State is FillState.Streaming or FillState.Completed)
        {
            try
            {
                var position = 0L;
                while (true)
                {
                    var written = await fill.WaitForDataAsync(position, cancellationToken);
                    if (written == position)
                    {
                        break;
                    }

                    position = written;
                }
            }
            catch (CacheFillFailedException ex)
            {
                return new PrefetchResult(PrefetchOutcome.Failed, 0, 0, null, ex.Message);
            }

            return _engine.Peek(fill.Key) is { } entry
                ? new PrefetchResult(PrefetchOutcome.Joined, entry.Length, 0, null, null)
                : new PrefetchResult(PrefetchOutcome.NotCacheable, 0, 0, null, "the fill it joined was not stored");
        }

        return new PrefetchResult(PrefetchOutcome.Failed, 0, 0, null, fill.Error ?? "the fill it joined ended without a body");
    }

    /// <summary>A player is waiting on the fill of <paramref name="hash"/>: if a prefetch is pacing it, stop pacing.</summary>
    private void LiftThrottle(ulong hash)
    {
        if (Volatile.Read(ref _throttledFillCount) > 0 && _throttledFills.TryGetValue(hash, out var paced))
        {
            paced.Lift();
        }
    }
}
