using Cdn.Proxy.Keys;

namespace Cdn.Proxy.Tests.Keys;

public sealed class RequestTargetParserTests
{
    private static readonly RequestTargetParser Parser = new(["quality", "lang"], ["token", "expires", "acl"]);

    [Theory]
    [InlineData("/t1/seg1.m4s", "/t1/seg1.m4s")]
    [InlineData("/t1/./a/../seg1.m4s", "/t1/seg1.m4s")]
    [InlineData("/t1/%7Euser/%41b", "/t1/~user/Ab")]
    [InlineData("/t1/a%2fb", "/t1/a%2Fb")]
    [InlineData("/t1/caf\u00e9", "/t1/caf%C3%A9")]
    [InlineData("/t1/a/..", "/t1/")]
    public void Paths_are_normalized(string raw, string expected)
    {
        Assert.True(Parser.TryParse("cdn.test", raw, out var target, out _));
        Assert.Equal(expected, target.Path);
    }

    [Theory]
    [InlineData("/../etc/passwd", 400, "path escapes the root")]
    [InlineData("/a/../../etc/passwd", 400, "path escapes the root")]
    [InlineData("/%2e%2e/etc/passwd", 400, "path escapes the root")]
    [InlineData("/a/%2E%2E/%2e%2E/x", 400, "path escapes the root")]
    [InlineData("/a%00b", 400, "control character in path")]
    [InlineData("/a\\b", 400, "backslash in path")]
    [InlineData("/a%5c..%5cb", 400, "backslash in path")]
    [InlineData("/a%zz", 400, "malformed percent-escape in path")]
    [InlineData("a/b", 400, "request target must be an absolute path")]
    [InlineData("/a#frag", 400, "request target contains a fragment")]
    public void Dangerous_targets_are_refused(string raw, int status, string reason)
    {
        Assert.False(Parser.TryParse("cdn.test", raw, out _, out var error));
        Assert.Equal(status, error!.Status);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void The_key_holds_host_path_and_only_the_configured_query_parameters_sorted()
    {
        Assert.True(Parser.TryParse("CDN.Test:8080", "/t1/index.m3u8?session=42&quality=hd&lang=en&token=abc&expires=1", out var target, out _));

        Assert.Equal("cdn.test", target.Host);
        Assert.Equal("cdn.test/t1/index.m3u8?lang=en&quality=hd", target.CacheKey);
        Assert.Equal("/t1/index.m3u8?session=42&quality=hd&lang=en", target.UpstreamPathAndQuery);
    }

    [Fact]
    public void Two_urls_differing_only_in_ignored_parameters_share_a_key()
    {
        Parser.TryParse("cdn.test", "/t/seg.ts?utm=1&token=x", out var a, out _);
        Parser.TryParse("cdn.test", "/t/seg.ts?utm=2", out var b, out _);

        Assert.Equal(a.CacheKey, b.CacheKey);
    }

    [Theory]
    [InlineData(null, "missing Host header")]
    [InlineData("", "missing Host header")]
    [InlineData("bad host", "invalid Host header")]
    [InlineData("cdn.test:http", "invalid port in Host header")]
    [InlineData("a/b", "invalid Host header")]
    public void Bad_hosts_are_refused(string? host, string reason)
    {
        Assert.False(Parser.TryParse(host, "/x", out _, out var error));
        Assert.Equal(reason, error!.Reason);
    }

    [Fact]
    public void An_absolute_form_target_takes_its_host_from_the_url()
    {
        Assert.True(Parser.TryParse("ignored", "http://cdn.test/a/b", out var target, out _));
        Assert.Equal("cdn.test/a/b", target.CacheKey);
    }
}
