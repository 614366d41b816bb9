using Packager.Hls;

namespace Packager.Tests.Hls;

public sealed class MediaPlaylistTests
{
    private const string FromFfmpeg = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:4
        #EXT-X-MEDIA-SEQUENCE:1
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-MAP:URI="init_2.mp4"
        #EXTINF:4.010667,
        seg_00001.m4s
        #EXTINF:2.026667,
        seg_00002.m4s
        #EXT-X-ENDLIST
        """;

    [Fact]
    public void Ffmpeg_playlists_are_read_with_their_map_and_segments()
    {
        var playlist = MediaPlaylist.Parse(FromFfmpeg);
        Assert.Equal("init_2.mp4", playlist.MapUri);
        Assert.Equal([new MediaSegment(4.010667, "seg_00001.m4s"), new MediaSegment(2.026667, "seg_00002.m4s")], playlist.Segments);
        Assert.Equal(6.037334, playlist.DurationSeconds, 6);
    }

    [Fact]
    public void Written_playlists_are_vod_with_independent_segments_and_the_init_map()
    {
        var text = (MediaPlaylist.Parse(FromFfmpeg) with { MapUri = "init.mp4" }).Write();
        Assert.Equal("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:1
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.010667,
            seg_00001.m4s
            #EXTINF:2.026667,
            seg_00002.m4s
            #EXT-X-ENDLIST

            """.ReplaceLineEndings("\n"), text);
    }

    [Theory]
    [InlineData(4.49, 4)]
    [InlineData(4.5, 5)]
    [InlineData(6.006, 6)]
    public void The_target_duration_is_the_longest_segment_rounded_to_the_nearest_second(double longest, int target)
        => Assert.Equal(target, new MediaPlaylist(null, [new MediaSegment(2, "a.ts"), new MediaSegment(longest, "b.ts")]).TargetDuration);

    [Fact]
    public void A_ts_playlist_without_a_map_is_version_3()
        => Assert.Contains("#EXT-X-VERSION:3\n", new MediaPlaylist(null, [new MediaSegment(4, "seg_00001.ts")]).Write(), StringComparison.Ordinal);

    [Fact]
    public void A_segment_without_extinf_is_an_error()
        => Assert.Throws<FormatException>(() => MediaPlaylist.Parse("#EXTM3U\nseg.ts\n"));

    [Theory]
    [InlineData("#EXT-X-STREAM-INF:BANDWIDTH=10,AVERAGE-BANDWIDTH=5", "BANDWIDTH", "10")]
    [InlineData("#EXT-X-STREAM-INF:AVERAGE-BANDWIDTH=5,BANDWIDTH=10", "BANDWIDTH", "10")]
    [InlineData("#EXT-X-STREAM-INF:CODECS=\"avc1.64001f,mp4a.40.2\",BANDWIDTH=10", "CODECS", "avc1.64001f,mp4a.40.2")]
    [InlineData("#EXT-X-STREAM-INF:BANDWIDTH=10", "RESOLUTION", null)]
    public void Attributes_are_matched_by_whole_name(string line, string name, string? value)
        => Assert.Equal(value, MediaPlaylist.Attribute(line, name));
}
