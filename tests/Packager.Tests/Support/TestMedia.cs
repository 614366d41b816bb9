using System.Collections.Concurrent;
using System.Globalization;

namespace Packager.Tests.Support;

/// <summary>
/// Short generated sources (testsrc2 picture + sine tone, H.264/AAC in MP4, like a mezzanine export), made
/// once per test run with the real ffmpeg and shared by the tests that read them.
/// </summary>
internal static class TestMedia
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"packager-media-{Environment.ProcessId}");
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();

    /// <summary>A <paramref name="width"/>x<paramref name="height"/> source of <paramref name="seconds"/> s; optional rotate tag and audio.</summary>
    public static Task<string> VideoAsync(int width, int height, double seconds, int fps = 30, bool audio = true, int rotate = 0)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"src_{width}x{height}_{seconds}s_{fps}fps_{(audio ? "a" : "na")}_r{rotate}.mp4");
        return Make(name, async path =>
        {
            // testsrc2 and 4:2:0 round odd sizes to even: make odd sources by scaling, in 4:4:4.
            var odd = width % 2 == 1 || height % 2 == 1;
            var picture = odd ? $"testsrc2=size={width + (width % 2)}x{height + (height % 2)}:rate={fps},scale={width}:{height},setsar=1" : $"testsrc2=size={width}x{height}:rate={fps}";
            var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", picture };
            if (audio)
            {
                args.AddRange(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]);
            }

            args.AddRange(["-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", odd ? "yuv444p" : "yuv420p"]);
            if (audio)
            {
                args.AddRange(["-c:a", "aac", "-b:a", "96k"]);
            }

            if (rotate == 0)
            {
                args.Add(path);
                await MediaTools.RunAsync(MediaTools.Ffmpeg, [.. args]);
                return;
            }

            // A phone's portrait video: landscape pixels plus a display matrix (set on a stream copy in ffmpeg 5.1).
            var plain = path + ".plain.mp4";
            args.Add(plain);
            await MediaTools.RunAsync(MediaTools.Ffmpeg, [.. args]);
            await MediaTools.RunAsync(MediaTools.Ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", plain, "-c", "copy", "-metadata:s:v:0", $"rotate={rotate}", path);
            File.Delete(plain);
        });
    }

    /// <summary>A file that is not media at all.</summary>
    public static Task<string> NotAVideoAsync()
        => Make("not_a_video.mp4", path => File.WriteAllTextAsync(path, "this is a text file with a video extension\n"));

    /// <summary>An audio-only file.</summary>
    public static Task<string> AudioOnlyAsync()
        => Make("audio_only.m4a", path => MediaTools.RunAsync(MediaTools.Ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3", "-c:a", "aac", path));

    /// <summary>A still image: a video stream without duration.</summary>
    public static Task<string> StillImageAsync()
        => Make("still.png", path => MediaTools.RunAsync(MediaTools.Ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240", "-frames:v", "1", path));

    /// <summary>An MP4 cut in half with its index at the end: the index is missing.</summary>
    public static Task<string> TruncatedAsync()
        => Make("truncated.mp4", async path =>
        {
            var whole = await VideoAsync(640, 360, 4);
            var bytes = await File.ReadAllBytesAsync(whole);
            await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        });

    /// <summary>An MP4 with its index first (faststart) cut to 40 %: it probes fine but decodes short.</summary>
    public static Task<string> TruncatedFaststartAsync()
        => Make("truncated_faststart.mp4", async path =>
        {
            var whole = Path.Combine(Root, "faststart_whole.mp4");
            await MediaTools.RunAsync(MediaTools.Ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", whole);
            var bytes = await File.ReadAllBytesAsync(whole);
            await File.WriteAllBytesAsync(path, bytes[..(bytes.Length * 4 / 10)]);
        });

    private static Task<string> Make(string name, Func<string, Task> create)
        => Made.GetOrAdd(name, n => new Lazy<Task<string>>(async () =>
        {
            Directory.CreateDirectory(Root);
            var path = Path.Combine(Root, n);
            var partial = path + ".tmp" + Path.GetExtension(n);
            await create(partial);
            File.Move(partial, path, overwrite: true);
            return path;
        })).Value;
}
