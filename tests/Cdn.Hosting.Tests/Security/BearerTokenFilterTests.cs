using Cdn.Hosting.Security;

namespace Cdn.Hosting.Tests.Security;

public sealed class BearerTokenFilterTests
{
    private static readonly string[] Accepted = ["first-token-0123456789", "second-token-0123456789"];

    [Theory]
    [InlineData("Bearer first-token-0123456789")]
    [InlineData("bearer second-token-0123456789")]
    [InlineData("Bearer   second-token-0123456789  ")]
    public void An_accepted_token_passes(string header) => Assert.Null(BearerTokenFilter.Check(header, Accepted));

    [Theory]
    [InlineData("", "missing credentials")]
    [InlineData("Basic dXNlcjpwYXNz", "authorization scheme must be Bearer")]
    [InlineData("Bearer first-token-012345678", "invalid token")]
    [InlineData("Bearer ", "invalid token")]
    public void Anything_else_is_refused_with_a_reason(string header, string reason)
        => Assert.Equal(reason, BearerTokenFilter.Check(header, Accepted));
}
