using System.Text;
using Cdn.Proxy.Http;

namespace Cdn.Proxy.Tests.Http;

public sealed class EntityTagsTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Theory]
    [InlineData("\"a\"", "\"a\"", true)]
    [InlineData("W/\"a\"", "\"a\"", true)]
    [InlineData("\"x\", W/\"a\"", "W/\"a\"", true)]
    [InlineData("*", "\"a\"", true)]
    [InlineData("\"b\"", "\"a\"", false)]
    [InlineData("\"a,b\"", "\"a\"", false)]
    public void If_none_match_uses_weak_comparison(string header, string etag, bool match)
        => Assert.Equal(match, EntityTags.WeakMatchAny(B(header), B(etag)));

    [Fact]
    public void Star_does_not_match_a_response_without_an_etag() => Assert.False(EntityTags.WeakMatchAny(B("*"), []));

    [Fact]
    public void If_range_needs_two_identical_strong_tags()
    {
        Assert.True(EntityTags.StrongEquals(B("\"a\""), B("\"a\"")));
        Assert.False(EntityTags.StrongEquals(B("W/\"a\""), B("W/\"a\"")));
        Assert.False(EntityTags.StrongEquals(B("\"a\""), B("\"b\"")));
    }
}
