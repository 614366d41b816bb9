using System.Globalization;
using System.Text.Json;
using Packager.Hls;
using Packager.Packaging;
using Packager.Tests.Support;

namespace Packager.Tests.Packaging;

/// <summary>Real ffmpeg on generated sources; every output read back with ffprobe.</summary>
public sealed class PackagingSystemTests
{
    public static TheoryData<int, int, int, int, double, string> Sources => new()
    {
        // width, height, fps, rotate tag, seconds, expected renditions (default ladder, never upscaled)
        { 854, 480, 30, 0, 5, "640x360 854x480" },
        { 854, 481, 25, 0, 5, "640x360 852x480" },
        { 720, 1280, 30, 0, 4.5, "360x640 480x854 720x1280" },
        { 1280, 720, 30, 90, 4.5, "360x640 480x854 720x1280" },
        { 320, 180, 30, 0, 3, "320x180" },
        { 1920, 1080, 30, 0, 2, "640x360 854x480 1280x720 1920x1080" },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Every_rendition_is_aligned_truthfully_described_and_never_upscaled(int width, int height, int fps, int rotate, double seconds, string expected)
    {
        var source = await TestMedia.VideoAsync(width, height, seconds, fps, audio: true, rotate: rotate);
        using var origin = new TempDirectory("pkg-origin");

        var result = await Harness.PackageAndPublishAsync(source, "title-1", origin.Path);

        var title = new PublishedTitle(origin.Combine("title-1"));
        Assert.Equal(expected, string.Join(' ', title.Variants.OrderBy(v => v.Width * v.Height).Select(v => $"{v.Width}x{v.Height}")));
        Assert.Contains("#EXT-X-INDEPENDENT-SEGMENTS", title.Master, StringComparison.Ordinal);
        var (displayWidth, displayHeight) = rotate is 90 or 270 ? (height, width) : (width, height);
        foreach (var variant in title.Variants)
        {
            Assert.True(variant.Width <= displayWidth && variant.Height <= displayHeight, $"{variant.Uri} {variant.Width}x{variant.Height} is larger than the {displayWidth}x{displayHeight} source");
            Assert.True(variant.Width % 2 == 0 && variant.Height % 2 == 0, $"{variant.Uri} has odd dimensions");
            Assert.InRange((double)variant.Width / variant.Height, (double)displayWidth / displayHeight * 0.985, (double)displayWidth / displayHeight * 1.015);
            Assert.Equal(fps, variant.FrameRate, 2);
            Assert.True(variant.Bandwidth >= variant.AverageBandwidth && variant.AverageBandwidth > 0, $"{variant.Uri}: BANDWIDTH {variant.Bandwidth} < AVERAGE-BANDWIDTH {variant.AverageBandwidth}");

            var stream = await title.ProbeStreamAsync(variant.Uri);
            Assert.Equal(variant.Width, stream.GetProperty("width").GetInt32());
            Assert.Equal(variant.Height, stream.GetProperty("height").GetInt32());
            var codecs = variant.Codecs.Split(',');
            Assert.Equal(ExpectedAvc(stream), codecs[0][..5] + codecs[0][5..7] + "??" + codecs[0][9..]);
            Assert.Equal(["mp4a.40.2"], codecs[1..]);

            var playlist = title.Playlist(variant.Uri);
            Assert.Equal("init.mp4", playlist.MapUri);
            Assert.Contains("#EXT-X-INDEPENDENT-SEGMENTS", File.ReadAllText(Path.Combine(title.Directory, variant.Uri)), StringComparison.Ordinal);
            Assert.Equal(seconds, playlist.DurationSeconds, 1);
            Assert.All(playlist.Segments.SkipLast(1), s => Assert.Equal(4.0, s.DurationSeconds, 1));
            Assert.All(playlist.Segments.Select((s, i) => s.Uri), (uri, i) => Assert.Equal($"seg_{i + 1:00000}.m4s", uri));
            var flags = await title.FirstPacketFlagsAsync(variant.Uri);
            Assert.All(flags, f => Assert.StartsWith("K", f, StringComparison.Ordinal));
        }

        // Every rendition is cut at the same instants, so a player can switch at any segment.
        var boundaries = title.Variants.Select(v => string.Join(',', title.Playlist(v.Uri).Segments.Select(s => s.DurationSeconds.ToString("0.00", CultureInfo.InvariantCulture)))).Distinct().ToList();
        Assert.Single(boundaries);

        var audio = Assert.Single(title.AudioPlaylists);
        var audioStream = await title.ProbeStreamAsync(audio);
        Assert.Equal("aac", audioStream.GetProperty("codec_name").GetString());
        Assert.Equal("LC", audioStream.GetProperty("profile").GetString());

        await AssertPosterAndThumbnailsAsync(title, result);
        Assert.Equal(
            Directory.EnumerateFiles(title.Directory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(PackagingPipeline.PublishStampFile, StringComparison.Ordinal)).Select(f => "title-1/" + Path.GetRelativePath(title.Directory, f)).Order(StringComparer.Ordinal),
            result.Objects.Select(o => o.Path));
        Assert.All(result.Objects, o => Assert.Equal(new FileInfo(Path.Combine(origin.Path, o.Path)).Length, o.SizeBytes));
        Assert.Equal("libx264", result.Encoder);
        Assert.False(Directory.EnumerateFileSystemEntries(Path.Combine(origin.Path, ".packager", "staging")).Any(), "staging left behind");
    }

    [Fact]
    public async Task A_source_without_audio_gets_video_only_variants()
    {
        var source = await TestMedia.VideoAsync(640, 360, 3, audio: false);
        using var origin = new TempDirectory("pkg-origin");

        await Harness.PackageAndPublishAsync(source, "silent", origin.Path);

        var title = new PublishedTitle(origin.Combine("silent"));
        var variant = Assert.Single(title.Variants);
        Assert.Empty(title.AudioPlaylists);
        Assert.DoesNotContain("AUDIO=", title.Master, StringComparison.Ordinal);
        Assert.DoesNotContain(",", variant.Codecs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ts_variant_is_remuxed_with_the_same_keyframes()
    {
        var source = await TestMedia.VideoAsync(854, 480, 5);
        using var origin = new TempDirectory("pkg-origin");

        await Harness.PackageAndPublishAsync(source, "ts-title", origin.Path, Harness.Encoding(o => o.TsVariant = true));

        var master = await File.ReadAllTextAsync(origin.Combine("ts-title", "master_ts.m3u8"));
        Assert.Contains("ts/480p/index.m3u8", master, StringComparison.Ordinal);
        var playlist = MediaPlaylist.Parse(await File.ReadAllTextAsync(origin.Combine("ts-title", "ts", "480p", "index.m3u8")));
        Assert.Null(playlist.MapUri);
        Assert.Equal(4.0, playlist.Segments[0].DurationSeconds, 1);
        var json = await MediaTools.RunAsync(MediaTools.Ffprobe, "-v", "error", "-print_format", "json", "-show_streams", origin.Combine("ts-title", "ts", "480p", "seg_00002.ts"));
        var streams = JsonDocument.Parse(json).RootElement.GetProperty("streams");
        Assert.Equal(["h264", "aac"], streams.EnumerateArray().Select(s => s.GetProperty("codec_name").GetString()).Order().Reverse());
    }

    [Fact]
    public async Task An_hevc_profile_is_encoded_with_libx265_tagged_hvc1_and_its_codec_string_matches_the_stream()
    {
        var source = await TestMedia.VideoAsync(640, 360, 3);
        using var origin = new TempDirectory("pkg-origin");
        var profile = new Packager.Ladder.ProfileOptions
        {
            Codec = Packager.Ladder.VideoCodec.Hevc,
            Rungs = [new() { Name = "360p", Height = 360, BitrateKbps = 500 }],
        };

        var result = await Harness.PackageAndPublishAsync(source, "hevc", origin.Path, profile: profile);

        Assert.Equal("libx265", result.Encoder);
        var title = new PublishedTitle(origin.Combine("hevc"));
        var variant = Assert.Single(title.Variants);
        var stream = await title.ProbeStreamAsync(variant.Uri);
        Assert.Equal(("hevc", "hvc1", "Main"), (stream.GetProperty("codec_name").GetString(), stream.GetProperty("codec_tag_string").GetString(), stream.GetProperty("profile").GetString()));
        var level = stream.GetProperty("level").GetInt32();
        Assert.Equal($"hvc1.1.6.L{level}.90", variant.Codecs.Split(',')[0]);
        Assert.All(await title.FirstPacketFlagsAsync(variant.Uri), f => Assert.StartsWith("K", f, StringComparison.Ordinal));
    }

    private static string ExpectedAvc(JsonElement stream)
    {
        Assert.Equal("h264", stream.GetProperty("codec_name").GetString());
        var profile = stream.GetProperty("profile").GetString() switch
        {
            "High" => 0x64,
            "Main" => 0x4d,
            "Baseline" or "Constrained Baseline" => 0x42,
            var other => throw new InvalidOperationException($"unexpected profile {other}"),
        };
        var level = stream.GetProperty("level").GetInt32();
        return string.Create(CultureInfo.InvariantCulture, $"avc1.{profile:x2}??{level:x2}");
    }

    private static async Task AssertPosterAndThumbnailsAsync(PublishedTitle title, PackageResult result)
    {
        var poster = JsonDocument.Parse(await MediaTools.RunAsync(MediaTools.Ffprobe, "-v", "error", "-print_format", "json", "-show_streams", Path.Combine(title.Directory, "poster.jpg"))).RootElement.GetProperty("streams")[0];
        Assert.Equal("mjpeg", poster.GetProperty("codec_name").GetString());
        var top = result.Renditions.Where(r => r.Kind == "video").MaxBy(r => r.Width * r.Height)!;
        Assert.Equal((double)top.Width / top.Height, poster.GetProperty("width").GetDouble() / poster.GetProperty("height").GetDouble(), 1);

        var vtt = await File.ReadAllTextAsync(Path.Combine(title.Directory, "thumbs", "thumbs.vtt"));
        Assert.StartsWith("WEBVTT", vtt, StringComparison.Ordinal);
        var cues = vtt.Split('\n').Where(l => l.Contains("#xywh=", StringComparison.Ordinal)).ToList();
        Assert.Equal((int)Math.Ceiling(result.DurationSeconds), cues.Count);
        foreach (var cue in cues)
        {
            var sprite = Path.Combine(title.Directory, "thumbs", cue[..cue.IndexOf('#', StringComparison.Ordinal)]);
            var info = JsonDocument.Parse(await MediaTools.RunAsync(MediaTools.Ffprobe, "-v", "error", "-print_format", "json", "-show_streams", sprite)).RootElement.GetProperty("streams")[0];
            var xywh = cue[(cue.IndexOf('=', StringComparison.Ordinal) + 1)..].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.True(xywh[0] + xywh[2] <= info.GetProperty("width").GetInt32() && xywh[1] + xywh[3] <= info.GetProperty("height").GetInt32(), $"{cue} lies outside its sprite");
        }
    }
}
