using System.Buffers;
using System.Text;
using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Keys;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <content>Filling misses from upstream.</content>
public sealed partial class HttpCache
{
    private const int CopyBufferBytes = 64 * 1024;

    /// <summary>
    /// The leader's side of a fill: one upstream GET, whose body streams into the engine. Runs detached from
    /// the client that started it — a client hanging up must not cancel a fill others are reading.
    /// </summary>
    private async Task FillFromUpstreamAsync(CacheFill fill, ProxyRequest request, List<KeyValuePair<string, string>> headers, bool isVariant)
    {
        try
        {
            var requestTime = _time.GetUtcNow();
            var upstreamRequest = new UpstreamRequest(HttpMethod.Get, request.Target.UpstreamPathAndQuery, request.Target.Host, headers, null, request.ClientAddress);
            var result = await _upstream.SendAsync(upstreamRequest, fill.Key, _stopping.Token);
            if (result.Response is null)
            {
                fill.Outcome = new FillOutcome.Error(result.TimedOut ? 504 : 502, result.Error ?? "upstream failed");
                fill.Abandon(result.Error ?? "upstream failed");
                return;
            }

            await FillFromResponseAsync(fill, result.Response, result.Server, upstreamRequest, request.Target.Path, requestTime, isVariant);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            fill.Outcome = new FillOutcome.Error(503, "node shutting down");
            fill.Abandon("node shutting down");
            fill.Fail("node shutting down");
        }
    }

    /// <summary>
    /// Stores <paramref name="response"/> (already received from <paramref name="server"/> for <paramref name="sent"/>, body
    /// unread) through <paramref name="fill"/>, or ends the fill saying why not. A body that breaks mid-way is resumed
    /// from another server when it can be (see <see cref="ResumeAsync"/>).
    /// </summary>
    private async Task FillFromResponseAsync(CacheFill fill, HttpResponseMessage response, UpstreamServer? server, UpstreamRequest sent, string path,
        DateTimeOffset requestTime, bool isVariant)
    {
        var handedOver = false;
        try
        {
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                fill.Outcome = new FillOutcome.Error(status >= 502 ? status : 502, $"upstream answered {status}");
                fill.Abandon($"upstream answered {status}");
                return;
            }

            var decision = _policy.Decide(path, requestHadAuthorization: false, response, requestTime, _time.GetUtcNow());
            if (!decision.Store)
            {
                ProxyLog.NotCacheable(_logger, fill.Key.ToString(), decision.Reason!);
                RememberUncacheable(fill.Key.Hash);
                fill.Outcome = new FillOutcome.Pass(decision.Reason!) { Response = new PassResponse(response, _time, TimeSpan.FromSeconds(30)) };
                handedOver = true;
                fill.Abandon(decision.Reason!);
                return;
            }

            if (decision.VaryHeaders.Length > 0 && !isVariant)
            {
                // First sight of a varying object: record which headers it varies on; readers look up again
                // and fill their variant.
                _engine.StoreWithoutBody(fill.Key, decision.Metadata! with { Flags = decision.Metadata!.Flags | EntryFlags.VaryStub });
                fill.Outcome = new FillOutcome.Retry();
                fill.Abandon("stored a Vary stub");
                return;
            }

            var entry = decision.Metadata! with { Key = fill.Key.Utf8.ToArray() };
            var declared = response.Content.Headers.ContentLength ?? -1;
            if (!fill.Begin(entry, declared))
            {
                fill.Outcome = new FillOutcome.Pass(fill.Error ?? "not stored");
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
            UpstreamBody? source = null;
            try
            {
                source = new UpstreamBody(response, server, await response.Content.ReadAsStreamAsync(_stopping.Token), [], _stopping.Token);
                while (true)
                {
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferBytes), _upstreamIdleTimeout);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException && !_stopping.IsCancellationRequested)
                    {
                        var resumed = await ResumeAsync(fill, sent, source, ex);
                        if (resumed is null)
                        {
                            throw;
                        }

                        await source.DisposeAsync();
                        source = resumed;
                        continue;
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    _metrics.UpstreamBytes(read);
                    await fill.WriteAsync(buffer.AsMemory(0, read));
                }

                await fill.CompleteAsync();
            }
            catch (OperationCanceledException)
            {
                fill.Fail(_stopping.IsCancellationRequested ? "node shutting down" : $"upstream stalled for {_upstreamIdleTimeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or CacheFillFailedException)
            {
                // Connection reset mid-body and the like: nothing partial is kept.
                fill.Fail($"upstream body failed: {ex.Message}");
                ProxyLog.FillFailed(_logger, fill.Key.ToString(), ex.Message);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                if (source is not null)
                {
                    await source.DisposeAsync(); // a resumed response; the first is disposed below either way
                }
            }
        }
        finally
        {
            if (!handedOver)
            {
                response.Dispose();
            }
        }
    }

    private TimeSpan _upstreamIdleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Longest pause between upstream body reads (from the upstream options).</summary>
    public TimeSpan UpstreamIdleTimeout
    {
        get => _upstreamIdleTimeout;
        init => _upstreamIdleTimeout = value;
    }

    private CacheKey KeyOf(ProxyRequest request) => request.PrimaryKey ?? _engine.KeyHasher.Create(request.Target.CacheKey);

    /// <summary>
    /// The headers of an upstream fill request, taken now: the fill outlives the client request, whose
    /// headers may live in a buffer the connection reuses for its next request.
    /// </summary>
    private static List<KeyValuePair<string, string>> FillHeaders(ProxyRequest request, CacheEntry? varyStub)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Accept-Encoding", "identity") };
        if (varyStub is not null)
        {
            foreach (var name in Encoding.ASCII.GetString(varyStub.Vary).Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (name != "accept-encoding" && request.Header(name) is { } value)
                {
                    headers.Add(new(name, value));
                }
            }
        }

        return headers;
    }
}
