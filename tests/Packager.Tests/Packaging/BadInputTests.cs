using Packager.Probing;
using Packager.Tests.Support;

namespace Packager.Tests.Packaging;

/// <summary>Sources that cannot be packaged fail with a reason an operator understands, and nothing is published.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "not-a-video", "ffprobe cannot read the source (not a video, or corrupt)" },
        { "truncated", "ffprobe cannot read the source (not a video, or corrupt): " },
        { "truncated-faststart", "the source is truncated or corrupt: only" },
        { "audio-only", "the source has no video stream (audio only)" },
        { "still-image", "zero or unknown duration" },
        { "missing", "does not exist" },
        { "empty", "is empty" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_source_fails_with_a_clear_reason_and_publishes_nothing(string kind, string reason)
    {
        using var origin = new TempDirectory("pkg-origin");
        var source = kind switch
        {
            "not-a-video" => await TestMedia.NotAVideoAsync(),
            "truncated" => await TestMedia.TruncatedAsync(),
            "truncated-faststart" => await TestMedia.TruncatedFaststartAsync(),
            "audio-only" => await TestMedia.AudioOnlyAsync(),
            "still-image" => await TestMedia.StillImageAsync(),
            "missing" => origin.Combine("no-such-file.mp4"),
            "empty" => Empty(origin),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var error = await Assert.ThrowsAsync<InvalidMediaException>(() => Harness.PackageAndPublishAsync(source, "bad", origin.Path));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(origin.Combine("bad")), "a title was published");
        Assert.False(Directory.Exists(origin.Combine(".packager", "staging")) && Directory.EnumerateFileSystemEntries(origin.Combine(".packager", "staging")).Any(), "staging left behind");
    }

    private static string Empty(TempDirectory dir)
    {
        var path = dir.Combine("empty.mp4");
        File.WriteAllBytes(path, []);
        return path;
    }
}
