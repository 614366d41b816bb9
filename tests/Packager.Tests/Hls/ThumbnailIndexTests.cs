using Packager.Encoding;
using Packager.Hls;

namespace Packager.Tests.Hls;

public sealed class ThumbnailIndexTests
{
    [Fact]
    public void Cues_walk_the_sprite_row_by_row_then_move_to_the_next_sprite()
    {
        var layout = new ThumbnailLayout(TimeSpan.FromSeconds(2), 160, 90, 2, 2, 6);
        var vtt = ThumbnailIndex.Write(layout, TimeSpan.FromSeconds(11));

        var cues = vtt.Split('\n').Where(l => l.Contains("#xywh", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "sprite_001.jpg#xywh=0,0,160,90",
                "sprite_001.jpg#xywh=160,0,160,90",
                "sprite_001.jpg#xywh=0,90,160,90",
                "sprite_001.jpg#xywh=160,90,160,90",
                "sprite_002.jpg#xywh=0,0,160,90",
                "sprite_002.jpg#xywh=160,0,160,90",
            ],
            cues);
        Assert.StartsWith("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n", vtt, StringComparison.Ordinal);
        Assert.Contains("00:00:10.000 --> 00:00:11.000\n", vtt, StringComparison.Ordinal);
    }

    [Fact]
    public void The_layout_keeps_the_aspect_ratio_and_counts_one_picture_per_interval()
    {
        var layout = ThumbnailLayout.Plan(new ThumbnailOptions { Interval = TimeSpan.FromSeconds(5), Size = 160 }, TimeSpan.FromSeconds(61), 720, 1280);
        Assert.Equal((90, 160, 13), (layout.Width, layout.Height, layout.Count));
        Assert.Equal(1, layout.Sprites);
    }
}
