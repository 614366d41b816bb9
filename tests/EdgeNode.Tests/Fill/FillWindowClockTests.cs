using Cdn.Contracts.Fill;
using EdgeNode.Fill;

namespace EdgeNode.Tests.Fill;

public sealed class FillWindowClockTests
{
    private static readonly FillWindow Amsterdam = new(new TimeOnly(2, 0), new TimeOnly(14, 0), "Europe/Amsterdam");

    [Theory]
    [InlineData("2026-01-15T00:59:00Z", false)] // 01:59 CET
    [InlineData("2026-01-15T01:00:00Z", true)]  // 02:00 CET
    [InlineData("2026-01-15T12:59:59Z", true)]  // 13:59:59 CET
    [InlineData("2026-01-15T13:00:00Z", false)] // 14:00 CET
    [InlineData("2026-07-15T00:30:00Z", true)]  // 02:30 CEST: the window follows the site's summer time
    [InlineData("2026-07-15T12:30:00Z", false)] // 14:30 CEST
    public void The_window_is_in_the_sites_local_time(string utc, bool open)
        => Assert.Equal(open, FillWindowClock.IsOpen(Amsterdam, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(23, 30, true)]
    [InlineData(3, 59, true)]
    [InlineData(4, 0, false)]
    [InlineData(12, 0, false)]
    [InlineData(22, 0, true)]
    public void A_window_that_wraps_past_midnight_is_open_late_and_early(int hour, int minute, bool open)
    {
        var night = new FillWindow(new TimeOnly(22, 0), new TimeOnly(4, 0), "UTC");

        Assert.Equal(open, FillWindowClock.IsOpen(night, new DateTimeOffset(2026, 3, 3, hour, minute, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Until_open_counts_to_the_next_opening_and_is_zero_inside()
    {
        var at = new DateTimeOffset(2026, 1, 15, 20, 0, 0, TimeSpan.Zero); // 21:00 CET

        Assert.Equal(TimeSpan.FromHours(5), FillWindowClock.UntilOpen(Amsterdam, at));
        Assert.Equal(TimeSpan.Zero, FillWindowClock.UntilOpen(Amsterdam, at.AddHours(6)));
    }

    [Fact]
    public void An_unknown_zone_is_an_error_not_a_guess()
        => Assert.ThrowsAny<Exception>(() => FillWindowClock.IsOpen(Amsterdam with { TimeZone = "Mars/Olympus" }, DateTimeOffset.UtcNow));
}
