using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cdn.Proxy.Security;
using Microsoft.AspNetCore.Http;

namespace Cdn.Proxy.Tests.Functional;

public sealed class CachingSemanticsTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("edge");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestOrigin _origin = null!;
    private TestEdge _edge = null!;

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync();
        _edge = await TestEdge.StartAsync(_dir.Path, [_origin.Url], new()
        {
            ["Edge:Policy:KeyQueryParameters:0"] = "lang",
            ["Edge:SignedUrls:Hosts:signed.test:Secret"] = "signing-secret-0123456789abcdef0123456789",
        }, _time);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _origin.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? configure = null, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        configure?.Invoke(request);
        return await _edge.Http.SendAsync(request);
    }

    private static string XCache(HttpResponseMessage response) => response.Headers.GetValues("X-Cache").Single().Split(' ')[0];

    [Fact]
    public async Task A_miss_is_filled_once_and_then_served_from_cache_byte_for_byte()
    {
        var body = TestOrigin.Bytes(300_000);
        _origin.Serve("/t1/seg1.m4s", body, ("Cache-Control", "max-age=3600"));

        var first = await GetAsync("/t1/seg1.m4s");
        var second = await GetAsync("/t1/seg1.m4s");

        Assert.Equal("MISS", XCache(first));
        Assert.Equal("HIT", XCache(second));
        Assert.Equal(body, await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(body, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, _origin.Hits("/t1/seg1.m4s"));
        Assert.Equal("video/iso.segment", second.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bytes", second.Headers.AcceptRanges.Single());
        Assert.Equal("*", second.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Head_answers_headers_with_the_length_and_no_body()
    {
        _origin.Serve("/t1/head.ts", TestOrigin.Bytes(5000), ("Cache-Control", "max-age=60"));

        var head = await GetAsync("/t1/head.ts", method: HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(5000, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/mp2t", head.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("bytes=0-99", 206, 0, 100)]
    [InlineData("bytes=1000-", 206, 1000, 9000)]
    [InlineData("bytes=-10", 206, 9990, 10)]
    [InlineData("bytes=20000-", 416, 0, 0)]
    [InlineData("bytes=garbage", 200, 0, 10000)]
    [InlineData("bytes=0-1,5-6", 200, 0, 10000)]
    public async Task Ranges_are_served_from_cache(string range, int status, int start, int length)
    {
        var body = TestOrigin.Bytes(10_000, 3);
        _origin.Serve("/t1/range.mp4", body, ("Cache-Control", "max-age=60"));
        await (await GetAsync("/t1/range.mp4")).Content.ReadAsByteArrayAsync();

        var response = await GetAsync("/t1/range.mp4", r => r.Headers.TryAddWithoutValidation("Range", range));

        Assert.Equal(status, (int)response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.AsSpan(start, length).ToArray(), bytes);
        if (status == 206)
        {
            Assert.Equal($"bytes {start}-{start + length - 1}/10000", response.Content.Headers.ContentRange!.ToString());
        }
        else if (status == 416)
        {
            Assert.Equal("bytes */10000", response.Content.Headers.ContentRange!.ToString());
        }

        Assert.Equal(1, _origin.Hits("/t1/range.mp4"));
    }

    [Fact]
    public async Task If_range_with_a_stale_validator_gets_the_whole_body()
    {
        _origin.Serve("/t1/ifrange.m4s", TestOrigin.Bytes(1000), ("Cache-Control", "max-age=60"), ("ETag", "\"v1\""));
        await GetAsync("/t1/ifrange.m4s");

        var matching = await GetAsync("/t1/ifrange.m4s", r => { r.Headers.TryAddWithoutValidation("Range", "bytes=0-9"); r.Headers.TryAddWithoutValidation("If-Range", "\"v1\""); });
        var stale = await GetAsync("/t1/ifrange.m4s", r => { r.Headers.TryAddWithoutValidation("Range", "bytes=0-9"); r.Headers.TryAddWithoutValidation("If-Range", "\"v0\""); });

        Assert.Equal(HttpStatusCode.PartialContent, matching.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
    }

    [Fact]
    public async Task Conditional_requests_get_304_from_cache()
    {
        var lastModified = DateTimeOffset.UtcNow.AddDays(-1);
        _origin.Serve("/t1/cond.m4s", TestOrigin.Bytes(1000), ("Cache-Control", "max-age=60"), ("ETag", "\"abc\""), ("Last-Modified", lastModified.ToString("r")));
        await GetAsync("/t1/cond.m4s");

        var byEtag = await GetAsync("/t1/cond.m4s", r => r.Headers.TryAddWithoutValidation("If-None-Match", "W/\"abc\""));
        var byDate = await GetAsync("/t1/cond.m4s", r => r.Headers.IfModifiedSince = lastModified.AddSeconds(10));
        var changed = await GetAsync("/t1/cond.m4s", r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"zzz\""));

        Assert.Equal(HttpStatusCode.NotModified, byEtag.StatusCode);
        Assert.Equal("\"abc\"", byEtag.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, byDate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(lastModified.ToString("r"), changed.Content.Headers.GetValues("Last-Modified").Single());
        Assert.Equal(1, _origin.Hits("/t1/cond.m4s"));
    }

    [Fact]
    public async Task Age_grows_with_time_and_a_stale_object_is_revalidated_with_its_validator()
    {
        _origin.Serve("/t1/live.m3u8", Encoding.ASCII.GetBytes("#EXTM3U\n"), ("Cache-Control", "max-age=10"), ("ETag", "\"p1\""));
        await GetAsync("/t1/live.m3u8");

        _time.Advance(TimeSpan.FromSeconds(4));
        var aged = await GetAsync("/t1/live.m3u8");
        Assert.Equal("HIT", XCache(aged));
        Assert.Equal(TimeSpan.FromSeconds(4), aged.Headers.Age);

        _time.Advance(TimeSpan.FromSeconds(10));
        var revalidated = await GetAsync("/t1/live.m3u8");

        Assert.Equal("REVALIDATED", XCache(revalidated));
        Assert.Equal("#EXTM3U\n", await revalidated.Content.ReadAsStringAsync());
        Assert.Equal(2, _origin.Hits("/t1/live.m3u8"));
        Assert.Equal("\"p1\"", _origin.Requests("/t1/live.m3u8")[1]["If-None-Match"].ToString());
        Assert.Equal("HIT", XCache(await GetAsync("/t1/live.m3u8")));
    }

    [Fact]
    public async Task A_changed_object_replaces_the_stale_copy()
    {
        var version = 1;
        _origin.Route("/t1/changing.m3u8", async c =>
        {
            c.Response.Headers.CacheControl = "max-age=5";
            c.Response.Headers.ETag = $"\"v{version}\"";
            await c.Response.WriteAsync($"version {version}");
        });
        Assert.Equal("version 1", await (await GetAsync("/t1/changing.m3u8")).Content.ReadAsStringAsync());

        version = 2;
        _time.Advance(TimeSpan.FromSeconds(6));
        var replaced = await GetAsync("/t1/changing.m3u8");

        Assert.Equal("version 2", await replaced.Content.ReadAsStringAsync());
        Assert.Equal("version 2", await (await GetAsync("/t1/changing.m3u8")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Within_stale_while_revalidate_the_stale_copy_is_served_at_once_and_refreshed_behind()
    {
        _origin.Serve("/t1/swr.m3u8", Encoding.ASCII.GetBytes("x"), ("Cache-Control", "max-age=5, stale-while-revalidate=30"));
        await GetAsync("/t1/swr.m3u8");
        _time.Advance(TimeSpan.FromSeconds(10));

        var stale = await GetAsync("/t1/swr.m3u8");

        Assert.Equal("STALE", XCache(stale));
        await WaitUntilAsync(() => _origin.Hits("/t1/swr.m3u8") == 2);
        await WaitUntilAsync(async () => XCache(await GetAsync("/t1/swr.m3u8")) == "HIT");
    }

    [Fact]
    public async Task Within_stale_if_error_a_failing_origin_is_hidden_and_beyond_it_the_error_shows()
    {
        var failing = false;
        _origin.Route("/t1/sie.m4s", async c =>
        {
            if (failing)
            {
                c.Response.StatusCode = 503;
                return;
            }

            c.Response.Headers.CacheControl = "max-age=5, stale-if-error=60";
            await c.Response.WriteAsync("good");
        });
        await GetAsync("/t1/sie.m4s");
        failing = true;

        _time.Advance(TimeSpan.FromSeconds(30));
        var hidden = await GetAsync("/t1/sie.m4s");
        Assert.Equal("STALEERROR", XCache(hidden));
        Assert.Equal("good", await hidden.Content.ReadAsStringAsync());

        _time.Advance(TimeSpan.FromSeconds(60));
        var shown = await GetAsync("/t1/sie.m4s");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, shown.StatusCode);
    }

    [Fact]
    public async Task Not_found_is_cached_for_the_negative_ttl()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/t1/nope.m4s")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/t1/nope.m4s")).StatusCode);
        Assert.Equal(1, _origin.Hits("/t1/nope.m4s"));

        _time.Advance(TimeSpan.FromSeconds(11));
        _origin.Serve("/t1/nope.m4s", TestOrigin.Bytes(10), ("Cache-Control", "max-age=60"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/t1/nope.m4s")).StatusCode);
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("private, max-age=60")]
    public async Task Responses_that_forbid_shared_caching_are_relayed_every_time(string cacheControl)
    {
        var path = $"/t1/{cacheControl.Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("=", "", StringComparison.Ordinal)}.json";
        _origin.Serve(path, Encoding.ASCII.GetBytes("{}"), ("Cache-Control", cacheControl));

        var first = await GetAsync(path);
        var second = await GetAsync(path);

        Assert.Equal("{}", await second.Content.ReadAsStringAsync());
        Assert.Equal("PASS", XCache(second));
        Assert.Equal(2, _origin.Hits(path));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task Requests_with_authorization_pass_through()
    {
        _origin.Serve("/t1/auth.m4s", TestOrigin.Bytes(10), ("Cache-Control", "max-age=60"));

        await GetAsync("/t1/auth.m4s", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "x"));
        var again = await GetAsync("/t1/auth.m4s", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "x"));

        Assert.Equal("PASS", XCache(again));
        Assert.Equal(2, _origin.Hits("/t1/auth.m4s"));
    }

    [Fact]
    public async Task Cdn_cache_control_overrides_cache_control_for_the_cdn_only()
    {
        _origin.Serve("/t1/cdncc.m4s", TestOrigin.Bytes(10), ("Cache-Control", "no-store"), ("CDN-Cache-Control", "max-age=600"));

        await GetAsync("/t1/cdncc.m4s");
        var hit = await GetAsync("/t1/cdncc.m4s");

        Assert.Equal("HIT", XCache(hit));
        Assert.True(hit.Headers.CacheControl!.NoStore); // players still see the origin's Cache-Control
        Assert.False(hit.Headers.Contains("CDN-Cache-Control"));
    }

    [Fact]
    public async Task Vary_keeps_one_variant_per_normalized_header_value()
    {
        _origin.Route("/t1/vary.vtt", async c =>
        {
            c.Response.Headers.CacheControl = "max-age=60";
            c.Response.Headers.Vary = "Accept-Language";
            await c.Response.WriteAsync($"lang={c.Request.Headers.AcceptLanguage}");
        });

        async Task<string> Get(string language)
            => await (await GetAsync("/t1/vary.vtt", r => r.Headers.TryAddWithoutValidation("Accept-Language", language))).Content.ReadAsStringAsync();

        Assert.Equal("lang=en", await Get("en"));
        Assert.Equal("lang=nl", await Get("nl"));
        Assert.Equal("lang=en", await Get("en"));
        Assert.Equal("lang=nl", await Get("nl"));
        Assert.Equal(3, _origin.Hits("/t1/vary.vtt")); // first sight records the Vary; then one fill per variant
    }

    [Fact]
    public async Task Unsafe_methods_pass_through_and_invalidate_the_stored_object()
    {
        _origin.Route("/t1/obj.json", async c =>
        {
            c.Response.Headers.CacheControl = "max-age=600";
            await c.Response.WriteAsync(c.Request.Method);
        });
        await GetAsync("/t1/obj.json");
        Assert.Equal("HIT", XCache(await GetAsync("/t1/obj.json")));

        var post = await GetAsync("/t1/obj.json", r => r.Content = new StringContent("payload"), HttpMethod.Post);

        Assert.Equal("POST", await post.Content.ReadAsStringAsync());
        Assert.Equal("MISS", XCache(await GetAsync("/t1/obj.json")));
    }

    [Fact]
    public async Task Only_configured_query_parameters_are_part_of_the_key()
    {
        _origin.Route("/t1/q.m3u8", async c =>
        {
            c.Response.Headers.CacheControl = "max-age=60";
            await c.Response.WriteAsync(c.Request.QueryString.ToString());
        });

        var a = await (await GetAsync("/t1/q.m3u8?lang=en&session=1")).Content.ReadAsStringAsync();
        var b = await (await GetAsync("/t1/q.m3u8?session=2&lang=en")).Content.ReadAsStringAsync();
        var c = await (await GetAsync("/t1/q.m3u8?lang=fr")).Content.ReadAsStringAsync();

        Assert.Equal(a, b);
        Assert.Equal("?lang=fr", c);
        Assert.Equal(2, _origin.Hits("/t1/q.m3u8"));
    }

    [Fact]
    public async Task Signed_urls_are_checked_before_anything_is_fetched()
    {
        const string Secret = "signing-secret-0123456789abcdef0123456789";
        _origin.Serve("/t1/signed.m4s", TestOrigin.Bytes(10), ("Cache-Control", "max-age=60"));
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var valid = "/t1/signed.m4s?" + UrlSignature.Sign(Secret, "/t1/signed.m4s", now + 60);
        var expired = "/t1/signed.m4s?" + UrlSignature.Sign(Secret, "/t1/signed.m4s", now - 1);

        HttpRequestMessage Signed(string path)
        {
            var r = new HttpRequestMessage(HttpMethod.Get, path);
            r.Headers.Host = "signed.test";
            return r;
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await _edge.Http.SendAsync(Signed("/t1/signed.m4s"))).StatusCode);
        var expiredResponse = await _edge.Http.SendAsync(Signed(expired));
        Assert.Equal(HttpStatusCode.Forbidden, expiredResponse.StatusCode);
        Assert.Contains("expired", await expiredResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await _edge.Http.SendAsync(Signed(valid.Replace("token=", "token=x", StringComparison.Ordinal)))).StatusCode);
        Assert.Equal(0, _origin.Hits("/t1/signed.m4s"));

        Assert.Equal(HttpStatusCode.OK, (await _edge.Http.SendAsync(Signed(valid))).StatusCode);
        Assert.Equal(1, _origin.Hits("/t1/signed.m4s"));
        Assert.Equal("", _origin.Queries("/t1/signed.m4s")[0]); // signing parameters never reach the origin
    }

    [Fact]
    public async Task A_cors_preflight_is_answered_for_players()
    {
        var preflight = await GetAsync("/t1/any.m3u8", r =>
        {
            r.Headers.TryAddWithoutValidation("Origin", "https://player.example");
            r.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
            r.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "range");
        }, HttpMethod.Options);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("range", preflight.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal(0, _origin.Hits("/t1/any.m3u8"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
