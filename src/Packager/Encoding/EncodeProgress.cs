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

    /// <summary>
    /// Media time the HLS muxer has finished in <paramref name="renditionDirectory"/>: every segment file but the one
    /// being written is complete. ffmpeg's own progress report is starved while an output has not produced its first
    /// frame (the thumbnail sprite's tile filter emits only when a whole sheet is full, often at the very end), so
    /// the segments on disk are the signal that keeps moving.
    /// </summary>
    public static TimeSpan SegmentsDone(string renditionDirectory, TimeSpan segmentDuration)
    {
        try
        {
            var files = Directory.EnumerateFiles(renditionDirectory, "seg_*").Count();
            return segmentDuration * Math.Max(0, files - 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>Fraction done (0–1) of a <paramref name="duration"/> long source at output time <paramref name="at"/>.</summary>
    public static double Fraction(TimeSpan at, TimeSpan duration)
        => duration <= TimeSpan.Zero ? 0 : Math.Clamp(at / duration, 0, 1);
}
