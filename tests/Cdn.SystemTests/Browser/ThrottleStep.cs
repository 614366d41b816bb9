using System.Globalization;

namespace Cdn.SystemTests.Browser;

/// <summary>
/// One step of a bandwidth schedule: once the playhead reaches <see cref="AtPlaybackSeconds"/>, the page's
/// downloads are limited to <see cref="Kbit"/> kbit/s (null: unlimited again) through the Chrome DevTools
/// Protocol's <c>Network.emulateNetworkConditions</c>.
/// </summary>
/// <param name="AtPlaybackSeconds">Media time (video.currentTime) at which the step applies.</param>
/// <param name="Kbit">Download limit in kbit/s (1000 bit/s); null lifts the limit.</param>
/// <param name="LatencyMs">Extra round-trip latency added to every request, in milliseconds.</param>
public sealed record ThrottleStep(double AtPlaybackSeconds, int? Kbit, int LatencyMs = 0)
{
    /// <summary>Limits downloads to <paramref name="kbit"/> kbit/s from <paramref name="atPlaybackSeconds"/> on.</summary>
    public static ThrottleStep Limit(double atPlaybackSeconds, int kbit, int latencyMs = 0) => new(atPlaybackSeconds, kbit, latencyMs);

    /// <summary>Removes the limit at <paramref name="atPlaybackSeconds"/>.</summary>
    public static ThrottleStep Lift(double atPlaybackSeconds) => new(atPlaybackSeconds, null);

    /// <summary>play.mjs's <c>--throttle</c> value: <c>AT:RATE[:LATENCY]</c>.</summary>
    public string ToArgument()
    {
        var rate = Kbit is { } k ? string.Create(CultureInfo.InvariantCulture, $"{k}kbit") : "off";
        var at = AtPlaybackSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return LatencyMs > 0 ? string.Create(CultureInfo.InvariantCulture, $"{at}s:{rate}:{LatencyMs}ms") : $"{at}s:{rate}";
    }
}
