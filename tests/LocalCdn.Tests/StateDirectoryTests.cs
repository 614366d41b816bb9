using LocalCdn.Chain;

namespace LocalCdn.Tests;

public sealed class StateDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new("localcdn-state");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_second_run_cleans_what_the_first_left_but_keeps_the_generated_source()
    {
        var t = Topology.Create(_dir.Combine("state"));
        using (LocalCdnChain.PrepareStateDirectory(t))
        {
            Directory.CreateDirectory(t.NodeDirectory("edge-ams-1"));
            File.WriteAllText(Path.Combine(t.NodeDirectory("edge-ams-1"), "edgenode.log"), "old");
            File.WriteAllText(Path.Combine(t.SourceDirectory, "source.mp4"), "media");
        }

        using (LocalCdnChain.PrepareStateDirectory(t))
        {
            Assert.False(Directory.Exists(t.NodeDirectory("edge-ams-1")));
            Assert.Equal("media", File.ReadAllText(Path.Combine(t.SourceDirectory, "source.mp4")));
            Assert.True(Directory.Exists(t.OriginRoot));
        }
    }

    [Fact]
    public void Two_runs_never_share_a_state_directory()
    {
        var t = Topology.Create(_dir.Combine("state"));
        using var first = LocalCdnChain.PrepareStateDirectory(t);

        var e = Assert.Throws<InvalidOperationException>(() => LocalCdnChain.PrepareStateDirectory(t));
        Assert.Contains("another local CDN is running", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_that_is_not_a_local_cdns_is_never_cleaned()
    {
        Directory.CreateDirectory(_dir.Combine("home"));
        File.WriteAllText(_dir.Combine("home", "thesis.tex"), "precious");
        var t = Topology.Create(_dir.Combine("home"));

        var e = Assert.Throws<InvalidOperationException>(() => LocalCdnChain.PrepareStateDirectory(t));
        Assert.Contains("is not a local CDN state directory", e.Message, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(_dir.Combine("home", "thesis.tex")));
    }
}
