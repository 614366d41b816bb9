using Packager.Tests.Support;

namespace Packager.Tests.Cli;

/// <summary>The one-shot <c>packager package</c> mode, run as the real binary.</summary>
public sealed class PackageCommandTests
{
    [Fact]
    public async Task Packaging_one_file_publishes_it_and_exits_zero()
    {
        using var dir = new TempDirectory("pkg-cli");
        var source = await TestMedia.VideoAsync(854, 480, 3);

        var (code, stdout, stderr) = await PackagerProcess.RunAsync("package", "--source", source, "--title", "cli-title", "--origin-root", dir.Combine("origin"));

        Assert.True(code == 0, stderr);
        Assert.Contains("published cli-title to", stdout, StringComparison.Ordinal);
        Assert.Contains("encoder: libx264 (software encoder libx264:", stdout, StringComparison.Ordinal);
        Assert.Contains("control plane: not configured (ControlPlane:Url); not notified", stdout, StringComparison.Ordinal);
        Assert.Contains("[encoding]", stderr, StringComparison.Ordinal);
        Assert.Contains("[done] 100%", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.Combine("origin", "cli-title", "480p", "init.mp4")));
    }

    [Fact]
    public async Task A_bad_source_exits_one_with_the_reason_and_publishes_nothing()
    {
        using var dir = new TempDirectory("pkg-cli");
        var source = await TestMedia.AudioOnlyAsync();

        var (code, _, stderr) = await PackagerProcess.RunAsync("package", "--source", source, "--title", "no-video", "--origin-root", dir.Combine("origin"));

        Assert.Equal(1, code);
        Assert.Contains("packager: no-video: failed: the source has no video stream (audio only)", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("origin", "no-video")));
    }

    [Fact]
    public async Task Bad_arguments_exit_two_and_say_every_problem()
    {
        using var dir = new TempDirectory("pkg-cli");

        var (code, _, stderr) = await PackagerProcess.RunAsync("package", "--source", dir.Combine("missing.mp4"), "--title", "bad/title", "--origin-root", dir.Combine("origin"), "--profile", "imax");

        Assert.Equal(2, code);
        Assert.Contains("--title: title id 'bad/title' may only contain", stderr, StringComparison.Ordinal);
        Assert.Contains("--source: source file", stderr, StringComparison.Ordinal);
        Assert.Contains("--profile: no profile named 'imax' (profiles: default)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_option_is_a_usage_error()
    {
        var (code, _, stderr) = await PackagerProcess.RunAsync("package", "--title", "x");

        Assert.NotEqual(0, code);
        Assert.Contains("--source", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_configuration_file_exits_78_naming_each_error()
    {
        using var dir = new TempDirectory("pkg-cli");
        var config = dir.Combine("packager.json");
        await File.WriteAllTextAsync(config, """{ "Encoding": { "SegmentDuration": "00:01:00", "SoftwarePreset": "turbo", "Colour": 1 } }""");
        var source = await TestMedia.VideoAsync(854, 480, 3);

        var (code, _, stderr) = await PackagerProcess.RunAsync("package", "--config", config, "--source", source, "--title", "t", "--origin-root", dir.Combine("origin"));

        Assert.Equal(78, code);
        Assert.Contains("Encoding:SegmentDuration: must be between", stderr, StringComparison.Ordinal);
        Assert.Contains("Encoding:SoftwarePreset: 'turbo' is not an x264 preset", stderr, StringComparison.Ordinal);
        Assert.Contains("Encoding:Colour: unknown setting", stderr, StringComparison.Ordinal);
    }
}
