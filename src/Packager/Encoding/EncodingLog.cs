using Microsoft.Extensions.Logging;

namespace Packager.Encoding;

/// <summary>Encoding log events: ids 6200–6299.</summary>
internal static partial class EncodingLog
{
    [LoggerMessage(6200, LogLevel.Information, "Video encoder {Encoder}: {Reason}")]
    public static partial void EncoderSelected(ILogger logger, string encoder, string reason);

    [LoggerMessage(6201, LogLevel.Information, "Encoding {Title}: {Renditions} with {Encoder}, {Audio} audio track(s), source {Width}x{Height} {Duration}")]
    public static partial void EncodeStarted(ILogger logger, string title, string renditions, string encoder, int audio, int width, int height, TimeSpan duration);

    [LoggerMessage(6202, LogLevel.Information, "Encoded {Title} in {Seconds:0.0} s ({Realtime:0.00}x real time)")]
    public static partial void EncodeFinished(ILogger logger, string title, double seconds, double realtime);

    [LoggerMessage(6203, LogLevel.Warning, "ffmpeg failed on {Title} (exit {ExitCode}): {Error}")]
    public static partial void EncodeFailed(ILogger logger, string title, int exitCode, string error);
}
