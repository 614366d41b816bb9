using Packager.Encoding;
using Packager.Ladder;
using Packager.Probing;

namespace Packager.Tests.Encoding;

public sealed class FfmpegArgumentsTests
{
    private static EncodeJob Job(string encoder, VideoCodec codec = VideoCodec.H264, bool audio = true) => new(
        "/media/in.mov",
        new MediaInfo(TimeSpan.FromSeconds(60), 1920, 1080, 25, 0, 1, "prores", audio ? [new AudioTrack(0, "pcm_s24le", 2, 48000, "eng")] : []),
        [new Rendition("360p", 640, 360, 800, 880), new Rendition("1080p", 1920, 1080, 5000, 5500)],
        audio ? [new AudioTrack(0, "pcm_s24le", 2, 48000, "eng")] : [],
        new EncoderChoice(encoder, encoder.Contains("nvenc", StringComparison.Ordinal), "test"),
        codec,
        128,
        "/origin/.packager/staging/j.1",
        new ThumbnailLayout(TimeSpan.FromSeconds(5), 160, 90, 10, 10, 12),
        1280,
        720);

    private static string Value(IReadOnlyList<string> args, string name) => args[args.ToList().IndexOf(name) + 1];

    [Fact]
    public void One_input_is_decoded_once_and_split_to_every_output()
    {
        var args = FfmpegArguments.Build(Job("libx264"), new EncodingOptions());
        Assert.Single(args, a => a == "-i");
        Assert.Equal("file:/media/in.mov", Value(args, "-i"));
        var graph = Value(args, "-filter_complex");
        Assert.StartsWith("[0:v:0]split=4[s0][s1][s2][s3];", graph, StringComparison.Ordinal);
        Assert.Contains("[s0]scale=640:360:flags=bicubic,setsar=1,format=yuv420p[v0]", graph, StringComparison.Ordinal);
        Assert.Contains("[s1]scale=1920:1080:flags=bicubic,setsar=1,format=yuv420p[v1]", graph, StringComparison.Ordinal);
        Assert.Contains("select='gte(t\\,15)',scale=1280:720", graph, StringComparison.Ordinal);
        Assert.Contains("fps=1/5,scale=160:90,setsar=1,tile=10x10[thumbs]", graph, StringComparison.Ordinal);
    }

    [Fact]
    public void Keyframes_are_forced_at_every_segment_boundary_with_closed_gops_and_no_scene_cuts()
    {
        var args = FfmpegArguments.Build(Job("libx264"), new EncodingOptions { SegmentDuration = TimeSpan.FromSeconds(4) });
        Assert.Equal("expr:gte(t,n_forced*4)", Value(args, "-force_key_frames"));
        Assert.Equal("100", Value(args, "-g"));
        Assert.Equal("+cgop", Value(args, "-flags"));
        Assert.Equal("scenecut=0:open-gop=0:keyint=100:min-keyint=100", Value(args, "-x264-params:v:0"));
        Assert.Equal("4", Value(args, "-hls_time"));
        Assert.Equal("fmp4", Value(args, "-hls_segment_type"));
        Assert.Equal("independent_segments", Value(args, "-hls_flags"));
        Assert.Equal("v:0,agroup:aud,name:360p v:1,agroup:aud,name:1080p a:0,agroup:aud,name:audio_0", Value(args, "-var_stream_map"));
        Assert.Equal("5500k", Value(args, "-maxrate:v:1"));
        Assert.Equal("11000k", Value(args, "-bufsize:v:1"));
        Assert.Equal("aac", Value(args, "-c:a"));
    }

    [Fact]
    public void Nvenc_gets_forced_idr_frames_and_no_scene_cut_keyframes()
    {
        var args = FfmpegArguments.Build(Job("h264_nvenc"), new EncodingOptions());
        Assert.Equal("h264_nvenc", Value(args, "-c:v:0"));
        Assert.Equal("1", Value(args, "-forced-idr:v:0"));
        Assert.Equal("1", Value(args, "-no-scenecut:v:1"));
        Assert.Equal("p5", Value(args, "-preset:v:0"));
        Assert.DoesNotContain("-x264-params:v:0", args);
    }

    [Fact]
    public void Hevc_is_tagged_hvc1_for_hls()
    {
        var args = FfmpegArguments.Build(Job("libx265", VideoCodec.Hevc), new EncodingOptions());
        Assert.Equal("hvc1", Value(args, "-tag:v:0"));
        Assert.StartsWith("scenecut=0:open-gop=0", Value(args, "-x265-params:v:1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_audio_no_audio_is_mapped_or_grouped()
    {
        var args = FfmpegArguments.Build(Job("libx264", audio: false), new EncodingOptions());
        Assert.DoesNotContain("-c:a", args);
        Assert.Equal("v:0,name:360p v:1,name:1080p", Value(args, "-var_stream_map"));
    }

    [Theory]
    [InlineData("out_time_us=1500000", 1.5)]
    [InlineData("out_time_us=N/A", null)]
    [InlineData("frame=12", null)]
    public void Progress_lines_give_the_output_time(string line, double? seconds)
        => Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), EncodeProgress.OutputTime(line));

    [Fact]
    public void Segments_on_disk_give_the_time_the_muxer_finished_when_ffmpeg_reports_nothing()
    {
        using var dir = new TempDirectory("segments-done");
        var rendition = dir.Combine("360p");
        var segment = TimeSpan.FromSeconds(4);
        Assert.Equal(TimeSpan.Zero, EncodeProgress.SegmentsDone(rendition, segment)); // not created yet
        Directory.CreateDirectory(rendition);
        File.WriteAllText(Path.Combine(rendition, "init.mp4"), "");
        Assert.Equal(TimeSpan.Zero, EncodeProgress.SegmentsDone(rendition, segment));
        File.WriteAllText(Path.Combine(rendition, "seg_00001.m4s"), "");
        Assert.Equal(TimeSpan.Zero, EncodeProgress.SegmentsDone(rendition, segment)); // the first one is still being written
        File.WriteAllText(Path.Combine(rendition, "seg_00002.m4s"), "");
        File.WriteAllText(Path.Combine(rendition, "seg_00003.m4s"), "");
        Assert.Equal(TimeSpan.FromSeconds(8), EncodeProgress.SegmentsDone(rendition, segment));
    }
}
