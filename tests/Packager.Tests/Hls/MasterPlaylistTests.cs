using Packager.Hls;

namespace Packager.Tests.Hls;

public sealed class MasterPlaylistTests
{
    [Fact]
    public void Variants_add_the_largest_audio_rate_and_list_every_codec()
    {
        var text = MasterPlaylist.Write(
            [
                new VariantStream("720p/index.m3u8", 3_000_000, 2_800_000, 1280, 720, "avc1.64001f", 30),
                new VariantStream("360p/index.m3u8", 900_000, 800_000, 640, 360, "avc1.64001e", 29.97002997),
            ],
            [
                new AudioRendition("audio_0", "audio_0/index.m3u8", "eng", 2, 130_000, 128_000, "mp4a.40.2"),
                new AudioRendition("audio_1", "audio_1/index.m3u8", null, 2, 140_000, 120_000, "mp4a.40.2"),
            ]);

        Assert.Equal("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="audio_0",LANGUAGE="eng",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio_0/index.m3u8"
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="audio_1",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio_1/index.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=1040000,AVERAGE-BANDWIDTH=928000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",FRAME-RATE=29.970,AUDIO="aud"
            360p/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=3140000,AVERAGE-BANDWIDTH=2928000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=30.000,AUDIO="aud"
            720p/index.m3u8

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Without_audio_there_is_no_audio_group()
    {
        var text = MasterPlaylist.Write([new VariantStream("a/index.m3u8", 10, 5, 2, 2, "avc1.640014", 25)], []);
        Assert.DoesNotContain("EXT-X-MEDIA", text, StringComparison.Ordinal);
        Assert.Contains("BANDWIDTH=10,AVERAGE-BANDWIDTH=5,RESOLUTION=2x2,CODECS=\"avc1.640014\",FRAME-RATE=25.000\n", text, StringComparison.Ordinal);
    }
}
