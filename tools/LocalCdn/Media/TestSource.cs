using System.Diagnostics;
using LocalCdn.External;

namespace LocalCdn.Media;

/// <summary>
/// The mezzanine the main job packages: 60 s of ffmpeg's <c>testsrc2</c> at 1920x1080, 30 fps, with a 440 Hz
/// <c>sine</c> tone, H.264 (libx264 veryfast) + AAC in MP4. Made once and kept (it does not change), written
/// to a temporary name and renamed, so an interrupted run never leaves half a file behind.
/// </summary>
public static class TestSource
{
    /// <summary>Its length.</summary>
    public static TimeSpan Duration { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The file name in the source cache.</summary>
    public const string FileName = "testsrc2-1080p30-60s.mp4";

    /// <summary>The source under <paramref name="directory"/>, made now unless already there. Returns its path and whether it was made.</summary>
    public static async Task<(string Path, bool Made, TimeSpan Took)> EnsureAsync(string directory, string logPath, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            return (path, false, TimeSpan.Zero);
        }

        var partial = path + ".partial.mp4";
        var clock = Stopwatch.StartNew();
        var result = await Command.RunAsync("ffmpeg", Arguments(partial), TimeSpan.FromMinutes(10), logPath, "ffmpeg", cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            File.Delete(partial);
            throw new InvalidOperationException($"ffmpeg could not make the source (exit {result.ExitCode}); see {logPath}:\n{result.StdErr}");
        }

        File.Move(partial, path, overwrite: true);
        return (path, true, clock.Elapsed);
    }

    /// <summary>ffmpeg's arguments for writing the source to <paramref name="output"/>.</summary>
    public static IReadOnlyList<string> Arguments(string output) =>
    [
        "-hide_banner", "-nostdin", "-y", "-v", "error",
        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", ((int)Duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart",
        output,
    ];
}
