using Cdn.ControlPlane.Cli.Planning;

namespace Cdn.ControlPlane.Cli.Tests.Planning;

/// <summary>The quantities of <c>edgectl plan</c> as operators write them.</summary>
public sealed class QuantityTests
{
    [Theory]
    [InlineData("5Mb/s", 5)]
    [InlineData("5 Mb/s", 5)]
    [InlineData("5mbit", 5)]
    [InlineData("5Mbps", 5)]
    [InlineData("5mbit/s", 5)]
    [InlineData("5M", 5)]
    [InlineData("800kbit", 0.8)]
    [InlineData("800kb/s", 0.8)]
    [InlineData("100Gb/s", 100_000)]
    [InlineData("1Tb/s", 1_000_000)]
    [InlineData("1MB/s", 8)]
    [InlineData("2.5", 2.5)]
    [InlineData("5e6b/s", 5)]
    public void Bit_rates_read_in_Mbps(string text, double mbps)
    {
        Assert.Equal(mbps, Quantity.BitrateMbps(text, 1, out var problem)!.Value, 9);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("100TB", 100)]
    [InlineData("3.84TB", 3.84)]
    [InlineData("3.84 tb", 3.84)]
    [InlineData("500GiB", 500 * 1_073_741_824L / 1e12)]
    [InlineData("1TiB", 1_099_511_627_776 / 1e12)]
    [InlineData("1PB", 1000)]
    [InlineData("500GB", 0.5)]
    [InlineData("100T", 100)]
    [InlineData("100", 100)]
    public void Sizes_read_in_TB(string text, double tb)
    {
        Assert.Equal(tb, Quantity.StorageTB(text, out var problem)!.Value, 12);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("100000000", 1e8)]
    [InlineData("100_000_000", 1e8)]
    [InlineData("1e8", 1e8)]
    [InlineData("100M", 1e8)]
    [InlineData("20k", 20_000)]
    [InlineData("1.5G", 1.5e9)]
    [InlineData("1.5B", 1.5e9)]
    public void Counts_take_k_M_G_suffixes(string text, double count)
        => Assert.Equal(count, Quantity.Count(text, out _)!.Value, 6);

    [Theory]
    [InlineData("97%", 0.97)]
    [InlineData("0.97", 0.97)]
    [InlineData("99.5 %", 0.995)]
    public void Ratios_read_as_fractions_or_percent(string text, double ratio)
        => Assert.Equal(ratio, Quantity.Ratio(text, out _)!.Value, 12);

    [Theory]
    [InlineData("4", 4)]
    [InlineData("4Gb/s", 4)]
    [InlineData("800Mb/s", 0.8)]
    [InlineData("0.4s/GB", 20)]
    [InlineData("2 s/GB", 4)]
    public void Per_core_rates_read_in_Gbps_or_from_LoadBenchs_cpu_seconds_per_GB(string text, double gbps)
        => Assert.Equal(gbps, Quantity.CoreGbps(text, out _)!.Value, 9);

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("1.5h", 1.5)]
    [InlineData("90min", 1.5)]
    public void Hours_read_bare_or_with_h_or_min(string text, double hours)
        => Assert.Equal(hours, Quantity.Hours(text, out _)!.Value, 12);

    [Theory]
    [InlineData("5furlongs", "unknown unit 'furlongs'")]
    [InlineData("5 Mb/h", "unknown unit 'Mb/h'")]
    [InlineData("fast", "is not a number")]
    [InlineData("", "is not a number")]
    [InlineData("5,5Mb/s", "unknown unit ',5Mb/s'")]
    public void What_is_not_a_bit_rate_says_why(string text, string why)
    {
        Assert.Null(Quantity.BitrateMbps(text, 1, out var problem));
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100XB")]
    [InlineData("100Tb/s")]
    [InlineData("TB")]
    public void What_is_not_a_size_is_refused(string text)
    {
        Assert.Null(Quantity.StorageTB(text, out var problem));
        Assert.NotNull(problem);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("1.5k5")]
    public void Whole_counts_refuse_fractions_and_junk(string text)
    {
        Assert.Null(Quantity.WholeCount(text, 1_000_000, out var problem));
        Assert.NotNull(problem);
    }
}
