using System.Diagnostics;
using Cdn.SystemTests.Titles;
using LocalCdn.Chain;
using LocalCdn.Media;

namespace Cdn.SystemTests.Chain;

/// <summary>
/// The main job's chain (tools/LocalCdn's <see cref="LocalCdnChain"/>), once per test run: control plane with
/// GeoDNS, packager, two shields over the origin tree, an edge in ams and one in fra; the 60 s 1080p title made
/// and packaged through the packager's API (the full default ladder), the control plane told, and the ams fill
/// plan pushed and filled. The state directory is beside the test assembly, cleaned by each run except for the
/// generated source, which is made once.
/// </summary>
public sealed class LocalCdnFixture : IAsyncLifetime
{
    private readonly StringWriter _progress = new();

    /// <summary>The running chain.</summary>
    public LocalCdnChain Chain { get; private set; } = null!;

    /// <summary>Its topology.</summary>
    public Topology Topology => Chain.Topology;

    /// <summary>The ladder the packager wrote (master playlist, measured BANDWIDTH).</summary>
    public IReadOnlyList<Variant> Variants { get; private set; } = [];

    /// <summary>The title's master playlist path: <c>/movie/master.m3u8</c>.</summary>
    public string MasterPath => $"/{Topology.TitleId}/master.m3u8";

    /// <summary>What each step took and printed (for the test output).</summary>
    public string Log => _progress.ToString();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var topology = Topology.Create(Path.Combine(AppContext.BaseDirectory, "local-cdn-state"));
        Chain = await LocalCdnChain.StartAsync(topology, _progress);
        await _progress.WriteLineAsync($"chain up in {clock.Elapsed.TotalSeconds:0.0} s");

        var source = await TestSource.EnsureAsync(topology.SourceDirectory, Chain.ToolLog("ffmpeg-source"));
        await _progress.WriteLineAsync($"source {(source.Made ? $"made in {source.Took.TotalSeconds:0.0} s" : "reused")}");

        var packaged = await Chain.PackageAsync(source.Path, TimeSpan.FromMinutes(20));
        Assert.True(packaged.State == "Succeeded", $"packaging {packaged.State}: {packaged.Error}\n{Chain.Packager.Tail()}");
        await _progress.WriteLineAsync($"packaged in {packaged.Took.TotalSeconds:0.0} s: {string.Join(", ", packaged.Renditions)}");
        Variants = Variant.ParseMaster(await File.ReadAllTextAsync(Path.Combine(topology.OriginRoot, topology.TitleId, "master.m3u8")));

        var fill = await Chain.FillSiteAsync("ams", TimeSpan.FromMinutes(5));
        await _progress.WriteLineAsync($"ams filled in {fill.Took.TotalSeconds:0.0} s:\n{fill.Status}");
        await _progress.WriteLineAsync($"fixture ready in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Chain is not null)
        {
            await Chain.DisposeAsync();
        }
    }
}
