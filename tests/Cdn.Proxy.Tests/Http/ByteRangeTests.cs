using System.Text;
using Cdn.Proxy.Http;

namespace Cdn.Proxy.Tests.Http;

public sealed class ByteRangeTests
{
    private static ByteRange Resolve(string header, long length) => ByteRange.Resolve(Encoding.ASCII.GetBytes(header), length);

    [Theory]
    [InlineData("bytes=0-9", 0, 10)]
    [InlineData("bytes=10-", 10, 90)]
    [InlineData("bytes=-5", 95, 5)]
    [InlineData("bytes=-500", 0, 100)]
    [InlineData("bytes=90-200", 90, 10)]
    [InlineData("BYTES = 0-0", 0, 1)]
    public void A_single_satisfiable_range_is_partial(string header, long start, long length)
    {
        var range = Resolve(header.Replace(" = ", "=", StringComparison.Ordinal), 100);

        Assert.Equal(new ByteRange(RangeKind.Partial, start, length), range);
    }

    [Theory]
    [InlineData("bytes=100-")]
    [InlineData("bytes=150-200")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=100-150,200-300")]
    public void A_range_past_the_end_is_unsatisfiable(string header) => Assert.Equal(RangeKind.Unsatisfiable, Resolve(header, 100).Kind);

    [Theory]
    [InlineData("")]
    [InlineData("items=0-9")]
    [InlineData("bytes=9-0")]
    [InlineData("bytes=abc-")]
    [InlineData("bytes=0-9,20-29")]
    [InlineData("bytes=")]
    [InlineData("bytes=-")]
    public void Malformed_or_multiple_ranges_get_the_whole_body(string header) => Assert.Equal(RangeKind.Full, Resolve(header, 100).Kind);
}
