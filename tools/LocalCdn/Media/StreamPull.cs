using System.Diagnostics;
using System.Globalization;
using LocalCdn.External;

namespace LocalCdn.Media;

/// <summary>
/// A player that pulls a whole HLS title through an edge as fast as it can: ffmpeg reads the master playlist
/// over HTTPS with the CDN host name in <c>Host</c>, maps every stream of every variant and copies them to the
/// null muxer. Startup is the time from launch until ffmpeg reports its first media packet written.
/// </summary>
public static class StreamPull
{
    /// <summary>What the pull measured.</summary>
    /// <param name="ExitCode">ffmpeg's exit code (0: every stream read to its end).</param>
    /// <param name="Startup">Launch to first media packet, or null when none came.</param>
    /// <param name="Wall">Launch to exit.</param>
    /// <param name="MediaSeconds">How far the output got (out_time), in seconds.</param>
    /// <param name="StdErr">ffmpeg's messages.</param>
    public sealed record Result(int ExitCode, TimeSpan? Startup, TimeSpan Wall, double MediaSeconds, string StdErr);

    /// <summary>ffmpeg's arguments to pull <paramref name="master"/> sending <c>Host: <paramref name="host"/></c>.</summary>
    public static IReadOnlyList<string> Arguments(Uri master, string host)
    {
        ArgumentNullException.ThrowIfNull(master);
        return
        [
            "-hide_banner", "-nostdin", "-loglevel", "warning",
            "-tls_verify", "0", "-headers", $"Host: {host}\r\n",
            "-i", master.AbsoluteUri,
            "-map", "0", "-c", "copy", "-f", "null", "-",
            "-progress", "pipe:1", "-stats_period", "0.1", "-nostats",
        ];
    }

    /// <summary>Pulls the title; fails only when ffmpeg cannot be run.</summary>
    public static async Task<Result> RunAsync(Uri master, string host, string logPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? startup = null;
        double mediaSeconds = 0;
        var result = await Command.RunAsync("ffmpeg", Arguments(master, host), timeout, logPath, "ffmpeg", onStdOutLine: line =>
        {
            if (OutTimeSeconds(line) is { } seconds)
            {
                mediaSeconds = Math.Max(mediaSeconds, seconds);
                if (seconds > 0)
                {
                    startup ??= clock.Elapsed;
                }
            }
        }, cancellationToken: cancellationToken);
        return new Result(result.ExitCode, startup, clock.Elapsed, mediaSeconds, result.StdErr);
    }

    /// <summary>The seconds of an <c>out_time_us=…</c> progress line, or null for any other line.</summary>
    public static double? OutTimeSeconds(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        const string Key = "out_time_us=";
        return line.StartsWith(Key, StringComparison.Ordinal) && long.TryParse(line.AsSpan(Key.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) && us >= 0
            ? us / 1e6
            : null;
    }
}
