using Cdn.Proxy.Http;

namespace Cdn.Proxy.Tests.Http;

public sealed class CacheControlTests
{
    [Fact]
    public void Directives_are_parsed_case_insensitively_with_quoted_and_unknown_parts()
    {
        var cc = CacheControl.Parse(["Public, MAX-AGE=60", "s-maxage=\"120\", stale-while-revalidate=10, stale-if-error=300, x-custom=\"a,b\", immutable"]);

        Assert.True(cc.Public);
        Assert.Equal(60, cc.MaxAge);
        Assert.Equal(120, cc.SharedMaxAge);
        Assert.Equal(10, cc.StaleWhileRevalidate);
        Assert.Equal(300, cc.StaleIfError);
        Assert.True(cc.Immutable);
        Assert.False(cc.NoStore);
    }

    [Theory]
    [InlineData("max-age=abc")]
    [InlineData("max-age=-1")]
    [InlineData("max-age=")]
    public void A_malformed_max_age_makes_the_response_stale(string value) => Assert.Equal(0, CacheControl.Parse(value).MaxAge);

    [Fact]
    public void A_huge_max_age_saturates() => Assert.Equal(int.MaxValue, CacheControl.Parse("max-age=99999999999999").MaxAge);

    [Fact]
    public void Qualified_no_cache_and_private_count_as_unqualified()
    {
        var cc = CacheControl.Parse("no-cache=\"set-cookie\", private=\"x\"");

        Assert.True(cc.NoCache);
        Assert.True(cc.Private);
    }
}
