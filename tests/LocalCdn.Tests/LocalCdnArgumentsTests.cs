using LocalCdn.Cli;

namespace LocalCdn.Tests;

public sealed class LocalCdnArgumentsTests
{
    [Fact]
    public void No_arguments_run_until_interrupted_in_the_default_state_directory_filling_and_playing_ams()
    {
        var args = LocalCdnArguments.Parse([], "/repo/.demo", out var errors);

        Assert.Empty(errors);
        Assert.Equal(new LocalCdnArguments(false, "/repo/.demo", "ams", "ams", false), args);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var args = LocalCdnArguments.Parse(["--once", "--state-dir", "/tmp/x", "--fill-site", "fra", "--play-site", "fra"], "/repo/.demo", out var errors);

        Assert.Empty(errors);
        Assert.Equal(new LocalCdnArguments(true, "/tmp/x", "fra", "fra", false), args);
    }

    [Theory]
    [InlineData("--frobnicate", "unknown option '--frobnicate'")]
    [InlineData("stray", "unexpected argument 'stray'")]
    [InlineData("--state-dir", "--state-dir needs a value")]
    [InlineData("--fill-site lon", "--fill-site: no site 'lon' (sites: ams, fra)")]
    [InlineData("--play-site --once", "--play-site needs a value")]
    [InlineData("--fill-site ams --fill-site fra", "--fill-site given twice")]
    public void A_bad_argument_is_named(string commandLine, string expected)
    {
        var args = LocalCdnArguments.Parse(commandLine.Split(' '), "/repo/.demo", out var errors);

        Assert.Null(args);
        Assert.Contains(expected, errors);
    }

    [Fact]
    public void Every_problem_is_listed_not_just_the_first()
    {
        LocalCdnArguments.Parse(["--bogus", "--play-site", "xyz", "extra"], "/repo/.demo", out var errors);

        Assert.Equal(3, errors.Count);
    }
}
