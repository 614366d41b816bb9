using System.Globalization;

namespace Packager.Encoding;

/// <summary>Reads ffmpeg's <c>-progress</c> key=value stream.</summary>
internal static class EncodeProgress
{
    /// <summary>The output time a progress line reports, or null for other lines.</summary>
    public static TimeSpan? OutputTime(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        const string Key = "out_time_us=";
        if (line.StartsWith(Key, StringComparison.Ordinal)
            && long.TryParse(line.AsSpan(Key.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var us)
            && us >= 0)
        {
            return TimeSpan.FromMicroseconds(us);
        }

        return null;
    }

    /// <summary>Fraction done (0–1) of a <paramref name="duration"/> long source at output time <paramref name="at"/>.</summary>
    public static double Fraction(TimeSpan at, TimeSpan duration)
        => duration <= TimeSpan.Zero ? 0 : Math.Clamp(at / duration, 0, 1);
}
