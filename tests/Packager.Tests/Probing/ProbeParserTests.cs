using Packager.Probing;

namespace Packager.Tests.Probing;

public sealed class ProbeParserTests
{
    private static string Json(string streams, string format = """{ "duration": "12.5" }""")
        => $$"""{ "streams": [ {{streams}} ], "format": {{format}} }""";

    private const string Video = """{ "index": 0, "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080, "avg_frame_rate": "30000/1001", "r_frame_rate": "30000/1001", "sample_aspect_ratio": "1:1" }""";

    [Fact]
    public void Duration_size_frame_rate_and_audio_tracks_are_read()
    {
        var media = ProbeParser.Parse(Json(Video + """, { "codec_type": "audio", "codec_name": "aac", "channels": 6, "sample_rate": "48000", "tags": { "language": "fra" } }, { "codec_type": "audio", "codec_name": "ac3", "channels": 2, "sample_rate": "44100", "tags": { "language": "und" } }"""));

        Assert.Equal(TimeSpan.FromSeconds(12.5), media.Duration);
        Assert.Equal((1920, 1080, 0), (media.Width, media.Height, media.Rotation));
        Assert.Equal(29.97, media.FrameRate, 2);
        Assert.Equal([new AudioTrack(0, "aac", 6, 48000, "fra"), new AudioTrack(1, "ac3", 2, 44100, null)], media.AudioTracks);
    }

    [Theory]
    [InlineData("""{ "side_data_list": [ { "side_data_type": "Display Matrix", "rotation": -90 } ] }""", 90)]
    [InlineData("""{ "side_data_list": [ { "side_data_type": "Display Matrix", "rotation": 90 } ] }""", 270)]
    [InlineData("""{ "side_data_list": [ { "side_data_type": "Display Matrix", "rotation": 180 } ] }""", 180)]
    [InlineData("""{ "tags": { "rotate": "90" } }""", 90)]
    [InlineData("""{ "tags": { "rotate": "270" } }""", 270)]
    public void Rotation_comes_from_the_display_matrix_or_the_rotate_tag(string extra, int expected)
    {
        var video = Video.TrimEnd('}') + "," + extra.Trim().TrimStart('{');
        var media = ProbeParser.Parse(Json(video));
        Assert.Equal(expected, media.Rotation);
        Assert.Equal(expected is 90 or 270, media.IsQuarterTurned);
    }

    [Fact]
    public void Cover_art_is_not_taken_for_the_video_stream()
    {
        var cover = """{ "codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600, "avg_frame_rate": "0/0", "disposition": { "attached_pic": 1 } }""";
        var error = Assert.Throws<InvalidMediaException>(() => ProbeParser.Parse(Json(cover + """, { "codec_type": "audio", "codec_name": "mp3" }""")));
        Assert.Equal("the source has no video stream (audio only)", error.Message);
    }

    [Theory]
    [InlineData("""{ "duration": "0.000" }""")]
    [InlineData("""{ "format_name": "png_pipe" }""")]
    public void Zero_or_unknown_duration_is_rejected(string format)
    {
        var error = Assert.Throws<InvalidMediaException>(() => ProbeParser.Parse(Json(Video, format)));
        Assert.Equal("the source has zero or unknown duration", error.Message);
    }

    [Fact]
    public void A_video_stream_without_a_picture_size_is_rejected()
    {
        var error = Assert.Throws<InvalidMediaException>(() => ProbeParser.Parse(Json("""{ "codec_type": "video", "codec_name": "h264", "avg_frame_rate": "25/1" }""")));
        Assert.Contains("no picture size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_that_is_not_json_is_rejected()
        => Assert.Throws<InvalidMediaException>(() => ProbeParser.Parse("Invalid data found when processing input"));

    [Theory]
    [InlineData("25", 25.0)]
    [InlineData("30000/1001", 29.97)]
    [InlineData("0/0", null)]
    [InlineData("", null)]
    public void Rates_are_parsed_as_fractions(string text, double? expected)
    {
        var rate = ProbeParser.Rate(text);
        if (expected is null)
        {
            Assert.Null(rate);
        }
        else
        {
            Assert.Equal(expected.Value, rate!.Value, 2);
        }
    }
}
