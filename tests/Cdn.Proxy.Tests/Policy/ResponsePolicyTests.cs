using System.Net;
using System.Text;
using Cdn.Caching.Index;
using Cdn.Proxy.Policy;

namespace Cdn.Proxy.Tests.Policy;

public sealed class ResponsePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly ResponsePolicy _policy = new(new CachePolicyOptions());

    private static HttpResponseMessage Response(HttpStatusCode status = HttpStatusCode.OK, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent([1, 2, 3]) };
        response.Headers.Date = Now;
        foreach (var (name, value) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    private StoreDecision Decide(string path, HttpResponseMessage response, bool auth = false) => _policy.Decide(path, auth, response, Now, Now);

    [Theory]
    [InlineData("no-store", "no-store")]
    [InlineData("private, max-age=60", "private")]
    public void Responses_a_shared_cache_must_not_store_are_refused(string cacheControl, string reason)
    {
        var decision = Decide("/a.m4s", Response(headers: ("Cache-Control", cacheControl)));

        Assert.False(decision.Store);
        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void S_maxage_wins_over_max_age_and_cdn_cache_control_wins_over_both()
    {
        Assert.Equal(120, Decide("/x", Response(headers: ("Cache-Control", "max-age=60, s-maxage=120"))).Metadata!.FreshnessLifetime);
        var cdn = Decide("/x", Response(headers: [("Cache-Control", "no-store"), ("CDN-Cache-Control", "max-age=600")]));
        Assert.True(cdn.Store);
        Assert.Equal(600, cdn.Metadata!.FreshnessLifetime);
    }

    [Fact]
    public void Expires_minus_date_gives_the_lifetime_and_an_invalid_expires_means_stale()
    {
        Assert.Equal(300, Decide("/x", Response(headers: ("Expires", Now.AddMinutes(5).ToString("r")))).Metadata!.FreshnessLifetime);
        Assert.Equal(0, Decide("/x", Response(headers: ("Expires", "0"))).Metadata!.FreshnessLifetime);
    }

    [Fact]
    public void Silent_origins_get_hls_defaults_short_for_playlists_and_long_for_segments()
    {
        Assert.Equal(2, Decide("/t/index.m3u8", Response()).Metadata!.FreshnessLifetime);
        Assert.Equal(86400, Decide("/t/seg_00001.m4s", Response()).Metadata!.FreshnessLifetime);
        Assert.Equal(86400, Decide("/t/seg_00001.ts", Response()).Metadata!.FreshnessLifetime);
    }

    [Fact]
    public void Other_silent_responses_get_a_tenth_of_their_age_since_last_modified()
    {
        var decision = Decide("/page", Response(headers: ("Last-Modified", Now.AddHours(-10).ToString("r"))));

        Assert.Equal(3600, decision.Metadata!.FreshnessLifetime);
    }

    [Fact]
    public void Not_found_is_cached_briefly_as_a_negative_entry()
    {
        var decision = Decide("/t/missing.m4s", Response(HttpStatusCode.NotFound));

        Assert.True(decision.Store);
        Assert.Equal(10, decision.Metadata!.FreshnessLifetime);
        Assert.Equal(EntryFlags.Negative, decision.Metadata.Flags & EntryFlags.Negative);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.Forbidden)]
    public void Errors_without_explicit_freshness_are_not_stored(HttpStatusCode status)
        => Assert.False(Decide("/x.m4s", Response(status)).Store);

    [Fact]
    public void A_request_with_authorization_is_stored_only_when_the_response_says_public()
    {
        Assert.False(Decide("/x", Response(headers: ("Cache-Control", "max-age=60")), auth: true).Store);
        Assert.True(Decide("/x", Response(headers: ("Cache-Control", "public, max-age=60")), auth: true).Store);
    }

    [Fact]
    public void Set_cookie_and_vary_star_prevent_storing()
    {
        Assert.Equal("response sets a cookie", Decide("/x", Response(headers: ("Set-Cookie", "a=b"))).Reason);
        Assert.Equal("Vary: *", Decide("/x", Response(headers: ("Vary", "*"))).Reason);
    }

    [Fact]
    public void The_initial_age_counts_the_age_header_and_the_time_in_flight()
        => Assert.Equal(42, ResponsePolicy.InitialAge(TimeSpan.FromSeconds(40), Now, Now, Now.AddSeconds(2)));

    [Fact]
    public void An_origin_clock_running_behind_does_not_age_responses()
        => Assert.Equal(0, ResponsePolicy.InitialAge(null, Now.AddSeconds(-30), Now, Now));

    [Fact]
    public void Generic_content_types_are_corrected_from_the_extension_and_hop_headers_not_stored()
    {
        var response = Response(headers: [("Content-Type", "application/octet-stream"), ("Cache-Control", "max-age=60"), ("Connection", "keep-alive"), ("X-Origin", "o1")]);

        var entry = Decide("/t/seg.m4s", response).Metadata!;

        Assert.Equal("video/iso.segment", Encoding.ASCII.GetString(entry.ContentType));
        var headers = Encoding.ASCII.GetString(entry.Headers);
        Assert.Contains("Cache-Control: max-age=60\r\n", headers);
        Assert.Contains("X-Origin: o1\r\n", headers);
        Assert.DoesNotContain("Connection", headers);
    }

    [Fact]
    public void No_cache_is_stored_but_stale_at_once_and_must_revalidate_forbids_stale_use()
    {
        Assert.Equal(0, Decide("/x", Response(headers: ("Cache-Control", "no-cache, max-age=60"))).Metadata!.FreshnessLifetime);
        var strict = Decide("/x", Response(headers: ("Cache-Control", "max-age=60, must-revalidate, stale-if-error=600"))).Metadata!;
        Assert.Equal(EntryFlags.MustRevalidate, strict.Flags & EntryFlags.MustRevalidate);
        Assert.Equal(0, strict.StaleIfError);
    }
}
