using Cdn.Proxy.Keys;
using Cdn.Proxy.Security;

namespace Cdn.Proxy.Tests.Security;

public sealed class UrlSignatureTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-secret";
    private static readonly RequestTargetParser Parser = new([], ["token", "expires", "acl"]);
    private readonly UrlSignature _signature = new(new SignedUrlOptions { Hosts = { ["cdn.test"] = new SignedHostOptions { Secret = Secret } } });

    private SignatureCheck Check(string target, long now)
    {
        Assert.True(Parser.TryParse("cdn.test", target, out var parsed, out _));
        return _signature.Check(parsed, now);
    }

    [Fact]
    public void A_signed_url_is_allowed_until_it_expires()
    {
        var url = "/t1/index.m3u8?" + UrlSignature.Sign(Secret, "/t1/index.m3u8", 2000);

        Assert.Equal(SignatureCheck.Allowed, Check(url, 1999));
        Assert.Equal(SignatureCheck.Expired, Check(url, 2001));
    }

    [Fact]
    public void Tampering_with_path_expiry_or_token_invalidates_it()
    {
        var query = UrlSignature.Sign(Secret, "/t1/a.m4s", 2000);

        Assert.Equal(SignatureCheck.Invalid, Check("/t1/b.m4s?" + query, 1000));
        Assert.Equal(SignatureCheck.Invalid, Check("/t1/a.m4s?" + query.Replace("expires=2000", "expires=9999", StringComparison.Ordinal), 1000));
        Assert.Equal(SignatureCheck.Invalid, Check("/t1/a.m4s?expires=2000&token=AAAA", 1000));
    }

    [Fact]
    public void An_acl_token_covers_everything_under_its_prefix_only()
    {
        var query = UrlSignature.Sign(Secret, "/t1/index.m3u8", 2000, acl: "/t1/");

        Assert.Equal(SignatureCheck.Allowed, Check("/t1/720p/seg_00001.m4s?" + query, 1000));
        Assert.Equal(SignatureCheck.Invalid, Check("/t2/720p/seg_00001.m4s?" + query, 1000));
    }

    [Fact]
    public void A_required_host_refuses_unsigned_requests_and_other_hosts_are_open()
    {
        Assert.Equal(SignatureCheck.Missing, Check("/t1/a.m4s", 1000));
        Assert.True(Parser.TryParse("other.test", "/t1/a.m4s", out var other, out _));
        Assert.Equal(SignatureCheck.Allowed, _signature.Check(other, 1000));
    }
}
