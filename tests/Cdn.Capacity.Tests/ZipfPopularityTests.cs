namespace Cdn.Capacity.Tests;

public class ZipfPopularityTests
{
    private static double BruteShare(long top, long n, double alpha)
    {
        double head = 0, all = 0;
        for (long r = 1; r <= n; r++)
        {
            var p = Math.Pow(r, -alpha);
            all += p;
            if (r <= top)
            {
                head += p;
            }
        }

        return head / all;
    }

    [Theory]
    [InlineData(1000, 0.8, 100)]
    [InlineData(1000, 1.0, 10)]
    [InlineData(50_000, 0.6, 5_000)]
    [InlineData(10, 0.0, 3)]
    public void Head_share_matches_the_direct_sum(long n, double alpha, long top)
        => Assert.Equal(BruteShare(top, n, alpha), new ZipfPopularity(n, alpha).HeadShare(top), 12);

    [Theory]
    [InlineData(0.8)]
    [InlineData(1.0)]
    [InlineData(1.2)]
    public void Catalogs_beyond_the_exact_terms_use_a_tail_accurate_to_1e_9(double alpha)
    {
        // 6 million terms: exact for 2M, Euler-Maclaurin for the rest, against a direct sum.
        const long N = 6_000_000;
        double direct = 0;
        for (long r = N; r >= 1; r--)
        {
            direct += Math.Pow(r, -alpha);
        }

        var tail = ZipfPopularity.Harmonic(N, alpha);

        Assert.True(Math.Abs(tail - direct) / direct < 1e-9, $"relative error {Math.Abs(tail - direct) / direct:E2}");
    }

    [Fact]
    public void Uniform_popularity_is_proportional()
        => Assert.Equal(0.25, new ZipfPopularity(1000, 0).HeadShare(250), 12);

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.97)]
    [InlineData(0.99)]
    public void Items_for_share_is_the_fewest_items_reaching_it(double share)
    {
        var zipf = new ZipfPopularity(20_000, 0.8);

        var k = zipf.ItemsForShare(share);

        Assert.True(zipf.HeadShare(k) >= share);
        Assert.True(zipf.HeadShare(k - 1) < share);
    }

    [Fact]
    public void Edges_of_the_range()
    {
        var zipf = new ZipfPopularity(100, 1);

        Assert.Equal(0, zipf.HeadShare(0));
        Assert.Equal(1, zipf.HeadShare(100));
        Assert.Equal(1, zipf.HeadShare(1000));
        Assert.Equal(0, zipf.ItemsForShare(0));
        Assert.Equal(100, zipf.ItemsForShare(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfPopularity(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfPopularity(10, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfPopularity(10, double.NaN));
    }
}
