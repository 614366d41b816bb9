using System.Globalization;
using Packager.Encoding;
using Packager.Hls;
using Packager.Ladder;
using Packager.Tools;

namespace Packager.Packaging;

/// <summary>
/// The optional MPEG-TS variant for players without fMP4 support: each video rendition remuxed (no re-encode,
/// so keyframes stay aligned) with the first audio track into <c>ts/&lt;rendition&gt;/</c>, listed by
/// <c>master_ts.m3u8</c>.
/// </summary>
internal static class TsVariant
{
    public static async Task WriteAsync(
        EncodingOptions options,
        string outputDirectory,
        IReadOnlyList<Rendition> renditions,
        IReadOnlyList<VariantStream> fmp4Variants,
        IReadOnlyList<AudioRendition> audio,
        double frameRate,
        CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var variants = new List<VariantStream>();
        for (var i = 0; i < renditions.Count; i++)
        {
            var r = renditions[i];
            var dir = Path.Combine(outputDirectory, "ts", r.Name);
            Directory.CreateDirectory(dir);
            var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error", "-i", Path.Combine(outputDirectory, r.Name, "index.m3u8") };
            if (audio.Count > 0)
            {
                args.AddRange(["-i", Path.Combine(outputDirectory, audio[0].Uri)]);
            }

            args.AddRange(["-map", "0:v:0"]);
            if (audio.Count > 0)
            {
                args.AddRange(["-map", "1:a:0"]);
            }

            args.AddRange([
                "-c", "copy",
                "-f", "hls",
                "-hls_time", options.SegmentDuration.TotalSeconds.ToString("0.###", inv),
                "-hls_playlist_type", "vod",
                "-hls_segment_type", "mpegts",
                "-start_number", "1",
                "-hls_segment_filename", Path.Combine(dir, "seg_%05d.ts"),
                Path.Combine(dir, "index.m3u8"),
            ]);
            var result = await ToolProcess.RunAsync(options.Ffmpeg, args, cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new PackagingException($"remuxing {r.Name} to MPEG-TS failed: {result.LastError}");
            }

            var playlist = MediaPlaylist.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "index.m3u8"), cancellationToken));
            await File.WriteAllTextAsync(Path.Combine(dir, "index.m3u8"), playlist.Write(), cancellationToken);
            var (peak, average, _) = PackagingPipeline.Measure(dir, playlist);
            var codecs = audio.Count > 0 ? $"{fmp4Variants[i].Codecs},{audio[0].Codecs}" : fmp4Variants[i].Codecs;
            variants.Add(new VariantStream($"ts/{r.Name}/index.m3u8", peak, average, r.Width, r.Height, codecs, frameRate));
        }

        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "master_ts.m3u8"), MasterPlaylist.Write(variants, [], version: 3), cancellationToken);
    }
}
