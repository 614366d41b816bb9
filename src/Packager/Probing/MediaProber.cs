using Packager.Encoding;
using Packager.Tools;

namespace Packager.Probing;

/// <summary>Analyses a source with ffprobe.</summary>
internal sealed class MediaProber
{
    private readonly Func<EncodingOptions> _options;

    public MediaProber(Func<EncodingOptions> options) => _options = options;

    /// <summary>Probes <paramref name="path"/>; throws <see cref="InvalidMediaException"/> with the reason when it cannot be packaged.</summary>
    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new InvalidMediaException($"source file '{path}' does not exist");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new InvalidMediaException($"source file '{path}' is empty");
        }

        var result = await ToolProcess.RunAsync(
            _options().Ffprobe,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "file:" + Path.GetFullPath(path)],
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidMediaException($"ffprobe cannot read the source (not a video, or corrupt): {result.LastError}");
        }

        return ProbeParser.Parse(result.StdOut);
    }
}
