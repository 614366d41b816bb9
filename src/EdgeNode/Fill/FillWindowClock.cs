using Cdn.Contracts.Fill;

namespace EdgeNode.Fill;

/// <summary>Whether a site's fill window is open: the window is in the site's local time (its IANA zone), so DST moves it with the site.</summary>
internal static class FillWindowClock
{
    /// <summary>The site's local time of day at <paramref name="utc"/>; throws <see cref="TimeZoneNotFoundException"/> for an unknown zone.</summary>
    public static TimeOnly LocalTime(FillWindow window, DateTimeOffset utc)
    {
        ArgumentNullException.ThrowIfNull(window);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(window.TimeZone);
        return TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(utc, zone).DateTime);
    }

    public static bool IsOpen(FillWindow window, DateTimeOffset utc) => window.Contains(LocalTime(window, utc));

    /// <summary>How long until the window opens (zero when open).</summary>
    public static TimeSpan UntilOpen(FillWindow window, DateTimeOffset utc)
    {
        var local = LocalTime(window, utc);
        return window.Contains(local) ? TimeSpan.Zero : window.Start - local;
    }

    public static string Describe(FillWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return $"{window.Start:HH\\:mm}–{window.End:HH\\:mm} {window.TimeZone}";
    }
}
