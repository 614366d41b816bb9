using Packager.Tools;

namespace Packager.Encoding;

/// <summary>Asks the real ffmpeg.</summary>
internal sealed class FfmpegCapabilities : IFfmpegCapabilities
{
    private readonly Func<EncodingOptions> _options;

    public FfmpegCapabilities(Func<EncodingOptions> options) => _options = options;

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> ListEncodersAsync(CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunAsync(_options().Ffmpeg, ["-hide_banner", "-encoders"], cancellationToken);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (result.ExitCode != 0)
        {
            return names;
        }

        // Lines look like " V....D libx264              libx264 H.264 / AVC …" after a legend ending in "------".
        var pastLegend = false;
        foreach (var raw in result.StdOut.Split('\n'))
        {
            var line = raw.Trim();
            if (!pastLegend)
            {
                pastLegend = line.StartsWith("------", StringComparison.Ordinal);
                continue;
            }

            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2)
            {
                names.Add(parts[1]);
            }
        }

        return names;
    }

    /// <inheritdoc />
    public async Task<string?> TryProbeEncodeAsync(string encoder, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            var result = await ToolProcess.RunAsync(
                _options().Ffmpeg,
                ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-t", "1", "-c:v", encoder, "-f", "null", "-"],
                timeout.Token);
            return result.ExitCode == 0 ? null : result.LastError;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "the probe encode did not finish within 30 s";
        }
    }
}
