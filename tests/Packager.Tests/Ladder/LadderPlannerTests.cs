using Packager.Ladder;
using Packager.Probing;

namespace Packager.Tests.Ladder;

public sealed class LadderPlannerTests
{
    private static readonly IReadOnlyList<RungOptions> Default = ProfileOptions.Default().Rungs;

    private static string Plan(int width, int height) => string.Join(' ', LadderPlanner.Plan(width, height, Default).Select(r => $"{r.Name}={r.Width}x{r.Height}"));

    [Fact]
    public void A_1080p_source_gets_every_rung_up_to_1080p_and_no_2160p()
        => Assert.Equal("360p=640x360 480p=854x480 720p=1280x720 1080p=1920x1080", Plan(1920, 1080));

    [Fact]
    public void A_2160p_source_gets_the_whole_default_ladder()
        => Assert.Equal("360p=640x360 480p=854x480 720p=1280x720 1080p=1920x1080 2160p=3840x2160", Plan(3840, 2160));

    [Fact]
    public void A_portrait_source_sizes_rungs_by_its_short_side()
        => Assert.Equal("360p=360x640 480p=480x854 720p=720x1280 1080p=1080x1920", Plan(1080, 1920));

    [Fact]
    public void An_odd_sized_source_keeps_its_aspect_ratio_with_even_dimensions_and_never_grows()
        => Assert.Equal("360p=640x360 480p=852x480", Plan(854, 481));

    [Fact]
    public void Rounding_up_past_an_odd_source_width_is_clamped_to_the_source()
        => Assert.Equal("360p=640x360 480p=852x480", Plan(853, 480));

    [Fact]
    public void A_source_between_rungs_stops_at_the_rung_below_it()
        => Assert.Equal("360p=640x360 480p=854x480 720p=1280x720", Plan(1440, 810));

    [Fact]
    public void A_source_smaller_than_every_rung_gets_one_rendition_at_its_own_size_with_a_scaled_rate()
    {
        var plan = Assert.Single(LadderPlanner.Plan(320, 180, Default));
        Assert.Equal(("180p", 320, 180), (plan.Name, plan.Width, plan.Height));
        Assert.Equal(200, plan.BitrateKbps); // 800 kb/s x (180/360)^2
    }

    [Fact]
    public void A_square_source_uses_its_side_as_the_short_side()
        => Assert.Equal("360p=360x360 480p=480x480 720p=720x720", Plan(720, 720));

    [Fact]
    public void Rungs_are_planned_smallest_first_whatever_the_configured_order()
    {
        var rungs = new List<RungOptions>
        {
            new() { Name = "hi", Height = 720, BitrateKbps = 3000 },
            new() { Name = "lo", Height = 360, BitrateKbps = 700, MaxBitrateKbps = 1000 },
        };
        var plan = LadderPlanner.Plan(1280, 720, rungs);
        Assert.Equal(["lo", "hi"], plan.Select(r => r.Name));
        Assert.Equal(1000, plan[0].MaxBitrateKbps);
        Assert.Equal(3300, plan[1].MaxBitrateKbps);
        Assert.Equal(2000, plan[0].BufferKbits);
    }

    [Fact]
    public void A_phone_video_stored_landscape_with_a_quarter_turn_is_planned_as_portrait()
    {
        var media = new MediaInfo(TimeSpan.FromSeconds(5), 1920, 1080, 30, 90, 1, "h264", []);
        Assert.Equal((1080, 1920), (media.DisplayWidth, media.DisplayHeight));
        Assert.Equal("360p=360x640 480p=480x854 720p=720x1280 1080p=1080x1920", Plan(media.DisplayWidth, media.DisplayHeight));
    }

    [Fact]
    public void Anamorphic_pixels_are_planned_at_their_display_width()
    {
        var media = new MediaInfo(TimeSpan.FromSeconds(5), 720, 576, 25, 0, 64.0 / 45, "mpeg2video", []);
        Assert.Equal(1024, media.DisplayWidth);
        Assert.Equal("360p=640x360 480p=854x480", Plan(media.DisplayWidth, media.DisplayHeight));
    }
}
