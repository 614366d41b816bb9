using System.Diagnostics;
using System.Globalization;
using Cdn.SystemTests.Nodes;

namespace Cdn.SystemTests.Titles;

/// <summary>
/// One title made the way production makes it, once per test run (a collection fixture): a 60-second
/// 1080p30 mezzanine from ffmpeg (testsrc2 picture, 440 Hz tone, H.264/AAC), packaged by the real
/// <c>packager package</c> one-shot with the default profile — the full 360p/480p/720p/1080p H.264 CMAF ladder —
/// into an origin tree that edges (or shields) serve with a <c>file://</c> origin.
/// </summary>
public sealed class PackagedTitle : IAsyncLifetime
{
    /// <summary>The title id (directory under the origin root).</summary>
    public const string TitleId = "movie";

    /// <summary>Length of the source.</summary>
    public static readonly TimeSpan SourceDuration = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new("systitle");

    /// <summary>The origin root (the title is in <c>&lt;root&gt;/movie/</c>).</summary>
    public string OriginRoot => _dir.Combine("origin");

    /// <summary><see cref="OriginRoot"/> as a <c>file://</c> origin URL for edgenode/originshield config.</summary>
    public string OriginUrl => new Uri(OriginRoot + "/").AbsoluteUri;

    /// <summary>The master playlist's path on a node: <c>/movie/master.m3u8</c>.</summary>
    public static string MasterPath => $"/{TitleId}/master.m3u8";

    /// <summary>The ladder, from the master playlist the packager wrote (measured BANDWIDTH).</summary>
    public IReadOnlyList<Variant> Variants { get; private set; } = [];

    /// <summary>How long ffmpeg took to make the source.</summary>
    public TimeSpan SourceTime { get; private set; }

    /// <summary>How long <c>packager package</c> took.</summary>
    public TimeSpan PackagingTime { get; private set; }

    /// <summary>The packager's summary (stdout).</summary>
    public string PackagerSummary { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        var source = _dir.Combine("source.mp4");
        var clock = Stopwatch.StartNew();
        var seconds = SourceDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var (code, stdout, stderr) = await ExternalTool.RunAsync(ffmpeg, [
            "-hide_banner", "-nostdin", "-y", "-v", "error",
            "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", seconds, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", source,
        ], TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"ffmpeg failed ({code}): {stderr}{stdout}");
        SourceTime = clock.Elapsed;

        clock.Restart();
        (code, stdout, stderr) = await ExternalTool.RunAsync("dotnet", [
            DaemonBinary.Packager, "package", "--source", source, "--title", TitleId, "--origin-root", OriginRoot,
        ], TimeSpan.FromMinutes(15), _dir.Path);
        PackagingTime = clock.Elapsed;
        Assert.True(code == 0, $"packager package failed ({code}) after {PackagingTime}:\n{stderr}\n{stdout}");
        PackagerSummary = stdout;
        File.Delete(source); // 100+ MB; the origin tree is what the tests need.

        Variants = Variant.ParseMaster(await File.ReadAllTextAsync(Path.Combine(OriginRoot, TitleId, "master.m3u8")));
        Assert.True(Variants.Count >= 2, $"expected a ladder, got {Variants.Count} variants");
    }

    /// <summary>The variant of <paramref name="height"/> lines (fails if the ladder has none).</summary>
    public Variant Rendition(int height) => Variants.SingleOrDefault(v => v.Height == height)
        ?? throw new InvalidOperationException($"no {height}p variant in [{string.Join(", ", Variants.Select(v => $"{v.Height}p"))}]");

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
