using System.Net;
using Microsoft.AspNetCore.Http;

namespace OriginShield.Tests.Functional;

/// <summary>stale-while-revalidate, stale-if-error and negative caching as a shield does them, on a fake clock.</summary>
public sealed class ShieldCachingTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("shield");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestOrigin _origin = null!;
    private TestShield _shield = null!;

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync();
        _shield = await TestShield.StartAsync(_dir.Path, [_origin.Url], new()
        {
            ["Shield:Policy:NegativeTtl"] = "00:00:03",
            ["Shield:Policy:DefaultStaleIfError"] = "00:10:00",
        }, _time);
    }

    public async Task DisposeAsync()
    {
        await _shield.DisposeAsync();
        await _origin.DisposeAsync();
        _dir.Dispose();
    }

    private static string XCache(HttpResponseMessage response) => response.Headers.GetValues("X-Cache").Single().Split(' ')[0];

    [Fact]
    public async Task Many_edges_asking_for_a_stale_object_get_it_at_once_and_the_origin_sees_one_revalidation()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = TestOrigin.Bytes(10_000);
        _origin.Route("/s/swr.m3u8", async c =>
        {
            c.Response.Headers.CacheControl = "max-age=5, stale-while-revalidate=60";
            c.Response.Headers.ETag = "\"v1\"";
            if (c.Request.Headers.IfNoneMatch == "\"v1\"")
            {
                await release.Task; // hold the revalidation open while the clients come
                c.Response.StatusCode = 304;
                return;
            }

            await c.Response.Body.WriteAsync(body);
        });
        await _shield.Http.GetByteArrayAsync("/s/swr.m3u8");
        _time.Advance(TimeSpan.FromSeconds(10));

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => _shield.Http.GetAsync("/s/swr.m3u8")));

        // The revalidation runs in the background: the stale answers can all be out before its request reaches
        // the origin. Wait for it (it is held there), then let it finish.
        await Daemons.EventuallyAsync(() => Task.FromResult(_origin.Hits("/s/swr.m3u8") >= 2), TimeSpan.FromSeconds(10), "the background revalidation to reach the origin");
        release.SetResult();

        Assert.All(responses, r => Assert.Equal("STALE", XCache(r)));
        Assert.Equal(2, _origin.Hits("/s/swr.m3u8")); // the fill and one revalidation
        Assert.Single(_origin.Requests("/s/swr.m3u8"), h => h.IfNoneMatch.Count > 0);
    }

    [Fact]
    public async Task With_the_origin_down_a_stale_object_is_served_within_the_shields_default_stale_if_error()
    {
        var body = TestOrigin.Bytes(20_000, 2);
        _origin.Serve("/s/sie.m4s", body, ("Cache-Control", "max-age=5"));
        await _shield.Http.GetByteArrayAsync("/s/sie.m4s");
        _time.Advance(TimeSpan.FromSeconds(60));
        await _origin.DisposeAsync(); // the origin goes away: connections are refused
        _origin = await TestOrigin.StartAsync(); // (for DisposeAsync; the shield does not know it)

        var stale = await _shield.Http.GetAsync("/s/sie.m4s");
        _time.Advance(TimeSpan.FromMinutes(20)); // past the 10 minute window
        var expired = await _shield.Http.GetAsync("/s/sie.m4s");

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("STALEERROR", XCache(stale));
        Assert.Equal(body, await stale.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.BadGateway, expired.StatusCode);
    }

    [Fact]
    public async Task A_404_is_cached_for_the_negative_ttl_then_asked_again()
    {
        var published = false;
        _origin.Route("/s/new-title.m3u8", async c =>
        {
            if (!Volatile.Read(ref published))
            {
                c.Response.StatusCode = 404;
                return;
            }

            c.Response.Headers.CacheControl = "max-age=60";
            await c.Response.WriteAsync("#EXTM3U\n");
        });

        var first = await _shield.Http.GetAsync("/s/new-title.m3u8");
        var second = await _shield.Http.GetAsync("/s/new-title.m3u8");
        Volatile.Write(ref published, true);
        var stillNegative = await _shield.Http.GetAsync("/s/new-title.m3u8");
        _time.Advance(TimeSpan.FromSeconds(4));
        var published200 = await _shield.Http.GetAsync("/s/new-title.m3u8");

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal("HIT", XCache(second));
        Assert.Equal(HttpStatusCode.NotFound, stillNegative.StatusCode);
        Assert.Equal(HttpStatusCode.OK, published200.StatusCode);
        Assert.Equal(2, _origin.Hits("/s/new-title.m3u8")); // the 404, then the new object once (not once more for the old copy)
    }
}
