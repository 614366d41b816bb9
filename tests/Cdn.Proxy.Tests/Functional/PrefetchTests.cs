using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Keys;
using Cdn.Proxy.Upstream;
using Microsoft.Extensions.DependencyInjection;

namespace Cdn.Proxy.Tests.Functional;

/// <summary>Fill-plan prefetch through the player fill path, and only-if-cached (how peer edges fill from each other).</summary>
public sealed class PrefetchTests() : EdgeOverOriginTests("prefetch")
{
    private RequestTarget Target(string path)
    {
        Assert.True(Edge.Services.GetRequiredService<RequestTargetParser>().TryParse("127.0.0.1", path, out var target, out _));
        return target;
    }

    private Task<PrefetchResult> PrefetchAsync(string path, IFillThrottle? throttle = null)
    {
        var upstream = Edge.Services.GetRequiredService<UpstreamClient>();
        return Edge.Cache.PrefetchAsync(Target(path), (request, key, ct) => upstream.SendAsync(request, key, ct), throttle, CancellationToken.None);
    }

    [Fact]
    public async Task A_prefetched_object_is_stored_as_a_player_miss_would_store_it_and_served_as_a_hit()
    {
        var body = TestOrigin.Bytes(200_000, 3);
        Origin.Serve("/t1/720p/seg_1.m4s", body, ("Cache-Control", "max-age=600"), ("Content-Type", "video/iso.segment"));

        var first = await PrefetchAsync("/t1/720p/seg_1.m4s");
        var again = await PrefetchAsync("/t1/720p/seg_1.m4s");
        var demandFromPrefetch = Edge.Cache.Popularity.TakeTop(10);
        using var response = await Edge.Http.GetAsync("/t1/720p/seg_1.m4s");

        Assert.Equal((PrefetchOutcome.Filled, 200_000L, 200_000L), (first.Outcome, first.Bytes, first.BytesFetched));
        Assert.Equal((PrefetchOutcome.AlreadyCached, 0L), (again.Outcome, again.BytesFetched));
        Assert.StartsWith("HIT", response.Headers.GetValues("X-Cache").Single(), StringComparison.Ordinal);
        Assert.Equal("video/iso.segment", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, Origin.Hits("/t1/720p/seg_1.m4s"));
        Assert.Empty(demandFromPrefetch); // a prefetch is not demand
        Assert.Single(Edge.Cache.Popularity.TakeTop(10)); // the player's hit is
    }

    [Fact]
    public async Task A_response_that_may_not_be_stored_is_reported_not_cacheable()
    {
        Origin.Serve("/t1/private.m4s", TestOrigin.Bytes(1000), ("Cache-Control", "private"));

        var result = await PrefetchAsync("/t1/private.m4s");

        Assert.Equal(PrefetchOutcome.NotCacheable, result.Outcome);
        Assert.False(result.Stored);
    }

    [Fact]
    public async Task An_upstream_error_is_a_failure_with_the_reason()
    {
        Origin.Route("/t1/broken.m4s", c => { c.Response.StatusCode = 503; return Task.CompletedTask; });

        var result = await PrefetchAsync("/t1/broken.m4s");

        Assert.Equal(PrefetchOutcome.Failed, result.Outcome);
        Assert.Contains("503", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_throttle_paces_the_body_until_a_player_asks_for_the_object_then_the_player_is_not_held_to_the_fill_rate()
    {
        var body = TestOrigin.Bytes(1_000_000, 5);
        Origin.Serve("/t1/big.m4s", body, ("Cache-Control", "max-age=600"));
        var throttle = new SlowThrottle(TimeSpan.FromMilliseconds(500));

        var prefetch = PrefetchAsync("/t1/big.m4s", throttle);
        await Task.Delay(300); // the fill has started and is being paced
        var watch = Stopwatch.StartNew();
        using var response = await Edge.Http.GetAsync("/t1/big.m4s");
        var received = await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        var result = await prefetch;

        Assert.Equal(body, received);
        Assert.Equal(PrefetchOutcome.Filled, result.Outcome);
        Assert.True(throttle.Charged > 0, "reads after the player joined are charged, not waited for");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the player waited {watch.Elapsed}; paced at 500 ms a read it would take far longer");
        Assert.Equal(1, Origin.Hits("/t1/big.m4s"));
    }

    [Fact]
    public async Task A_player_joining_before_the_upstream_has_answered_is_not_held_to_the_fill_rate()
    {
        var body = TestOrigin.Bytes(1_000_000, 6);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Origin.Route("/t1/late.m4s", async context =>
        {
            await answer.Task; // the prefetch's request is in flight, no response headers yet
            context.Response.Headers.CacheControl = "max-age=600";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });
        var throttle = new SlowThrottle(TimeSpan.FromMilliseconds(500));

        var prefetch = PrefetchAsync("/t1/late.m4s", throttle);
        await Task.Delay(200);
        var watch = Stopwatch.StartNew();
        var player = Edge.Http.GetByteArrayAsync("/t1/late.m4s");
        await Task.Delay(200); // the player has joined the fill
        answer.SetResult();
        var received = await player;
        watch.Stop();

        Assert.Equal(body, received);
        Assert.Equal(PrefetchOutcome.Filled, (await prefetch).Outcome);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the player waited {watch.Elapsed}; paced at 500 ms a read it would take far longer");
        Assert.Equal(1, Origin.Hits("/t1/late.m4s"));
    }

    [Fact]
    public async Task Only_if_cached_answers_from_the_cache_or_504_and_never_goes_upstream()
    {
        Origin.Serve("/t1/seg_2.m4s", TestOrigin.Bytes(5000), ("Cache-Control", "max-age=600"));
        using var miss = await OnlyIfCachedAsync("/t1/seg_2.m4s");
        (await Edge.Http.GetAsync("/t1/seg_2.m4s")).Dispose();
        Edge.Cache.Popularity.TakeTop(10);

        using var hit = await OnlyIfCachedAsync("/t1/seg_2.m4s");

        Assert.Equal(HttpStatusCode.GatewayTimeout, miss.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal(1, Origin.Hits("/t1/seg_2.m4s"));
        Assert.Empty(Edge.Cache.Popularity.TakeTop(10)); // a peer's fill is not demand
    }

    private async Task<HttpResponseMessage> OnlyIfCachedAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.CacheControl = new CacheControlHeaderValue { OnlyIfCached = true };
        return await Edge.Http.SendAsync(request);
    }

    /// <summary>A throttle far slower than any real cap: every read waits.</summary>
    private sealed class SlowThrottle(TimeSpan perRead) : IFillThrottle
    {
        private long _charged;

        public long Charged => Interlocked.Read(ref _charged);

        public async ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken) => await Task.Delay(perRead, cancellationToken);

        public void Charge(int bytes) => Interlocked.Add(ref _charged, bytes);
    }
}
