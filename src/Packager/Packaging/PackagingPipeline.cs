using System.Globalization;
using Cdn.Contracts.Catalog;
using Microsoft.Extensions.Logging;
using Packager.Encoding;
using Packager.Hls;
using Packager.Ladder;
using Packager.Probing;
using Packager.Tools;

namespace Packager.Packaging;

/// <summary>
/// Packages one source into a staging directory: probe, plan the ladder, pick the encoder, run the one
/// ffmpeg that writes every rendition, then write the playlists we publish (measured bandwidth, real codec
/// strings), the thumbnail index and the optional TS variant, and check the result before anyone publishes it.
/// Used by the job workers and by the one-shot CLI alike.
/// </summary>
internal sealed class PackagingPipeline
{
    /// <summary>Name of the file that stamps a published tree with the job that produced it (never listed as a catalog object).</summary>
    public const string PublishStampFile = ".packager-job";

    private readonly MediaProber _prober;
    private readonly EncoderSelector _selector;
    private readonly Func<EncodingOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PackagingPipeline> _logger;

    public PackagingPipeline(MediaProber prober, EncoderSelector selector, Func<EncodingOptions> options, TimeProvider time, ILogger<PackagingPipeline> logger)
    {
        _prober = prober;
        _selector = selector;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Writes the title into <paramref name="outputDirectory"/> (created, must not hold a previous attempt).</summary>
    public async Task<PackageResult> RunAsync(PackageRequest request, string outputDirectory, Action<Stage, double> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var options = _options();
        progress(Stage.Probing, 0);
        var media = await _prober.ProbeAsync(request.SourcePath, cancellationToken);
        var renditions = LadderPlanner.Plan(media.DisplayWidth, media.DisplayHeight, request.Profile.Rungs);
        var encoder = await _selector.SelectAsync(request.Profile.Codec, options.Hardware, cancellationToken);
        var top = renditions[^1];
        var posterScale = Math.Min(1.0, (double)options.PosterSize / Math.Max(top.Width, top.Height));
        var job = new EncodeJob(
            request.SourcePath,
            media,
            renditions,
            media.AudioTracks.Take(options.MaxAudioTracks).ToList(),
            encoder,
            request.Profile.Codec,
            request.Profile.AudioBitrateKbps,
            outputDirectory,
            options.Thumbnails.Enabled ? ThumbnailLayout.Plan(options.Thumbnails, media.Duration, top.Width, top.Height) : null,
            LadderPlanner.Even(top.Width * posterScale),
            LadderPlanner.Even(top.Height * posterScale));

        if (Directory.Exists(outputDirectory))
        {
            Directory.Delete(outputDirectory, recursive: true);
        }

        Directory.CreateDirectory(outputDirectory);
        Directory.CreateDirectory(Path.Combine(outputDirectory, "thumbs"));
        foreach (var name in renditions.Select(r => r.Name).Concat(job.AudioTracks.Select(t => EncodeJob.AudioName(t.Index))))
        {
            Directory.CreateDirectory(Path.Combine(outputDirectory, name));
        }

        progress(Stage.Encoding, 0);
        EncodingLog.EncodeStarted(_logger, request.TitleId, string.Join(' ', renditions.Select(r => $"{r.Name}={r.Width}x{r.Height}@{r.BitrateKbps}k")), encoder.Encoder, job.AudioTracks.Count, media.DisplayWidth, media.DisplayHeight, media.Duration);
        var started = _time.GetTimestamp();
        var encoded = new EncodedSoFar(progress, media.Duration);
        var firstRendition = Path.Combine(outputDirectory, renditions[0].Name);
        ToolResult result;
        using (_time.CreateTimer(_ => encoded.Report(EncodeProgress.SegmentsDone(firstRendition, options.SegmentDuration)), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
        {
            result = await ToolProcess.RunAsync(
                options.Ffmpeg,
                FfmpegArguments.Build(job, options),
                cancellationToken,
                line =>
                {
                    if (EncodeProgress.OutputTime(line) is { } at)
                    {
                        encoded.Report(at);
                    }
                });
        }

        encoded.Close();

        var encodeSeconds = _time.GetElapsedTime(started).TotalSeconds;
        if (result.ExitCode != 0)
        {
            EncodingLog.EncodeFailed(_logger, request.TitleId, result.ExitCode, result.LastError);
            throw new InvalidMediaException($"ffmpeg could not encode the source (corrupt or unsupported): {result.LastError}");
        }

        var realtime = encodeSeconds > 0 ? media.Duration.TotalSeconds / encodeSeconds : 0;
        EncodingLog.EncodeFinished(_logger, request.TitleId, encodeSeconds, realtime);

        progress(Stage.Packaging, 0);
        var results = new List<RenditionResult>();
        var variants = new List<VariantStream>();
        foreach (var r in renditions)
        {
            var (playlist, measured) = FinishRendition(outputDirectory, r.Name, media);
            variants.Add(new VariantStream($"{r.Name}/index.m3u8", measured.Peak, measured.Average, r.Width, r.Height, measured.Codecs, media.FrameRate));
            results.Add(new RenditionResult(r.Name, "video", r.Width, r.Height, measured.Peak, measured.Average, measured.Codecs, $"{request.TitleId}/{r.Name}/index.m3u8", playlist.Segments.Count, measured.Bytes));
        }

        var audio = new List<AudioRendition>();
        foreach (var track in job.AudioTracks)
        {
            var name = EncodeJob.AudioName(track.Index);
            var (playlist, measured) = FinishRendition(outputDirectory, name, media);
            audio.Add(new AudioRendition(name, $"{name}/index.m3u8", track.Language, 2, measured.Peak, measured.Average, measured.Codecs));
            results.Add(new RenditionResult(name, "audio", 0, 0, measured.Peak, measured.Average, measured.Codecs, $"{request.TitleId}/{name}/index.m3u8", playlist.Segments.Count, measured.Bytes));
        }

        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "master.m3u8"), MasterPlaylist.Write(variants, audio), cancellationToken);
        progress(Stage.Packaging, 0.3);

        if (!File.Exists(Path.Combine(outputDirectory, "poster.jpg")))
        {
            throw new PackagingException("ffmpeg wrote no poster frame");
        }

        if (job.Thumbnails is { } layout)
        {
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, "thumbs", "thumbs.vtt"), ThumbnailIndex.Write(layout, media.Duration), cancellationToken);
        }
        else
        {
            Directory.Delete(Path.Combine(outputDirectory, "thumbs"));
        }

        if (options.TsVariant)
        {
            await TsVariant.WriteAsync(options, outputDirectory, renditions, variants, audio, media.FrameRate, cancellationToken);
        }

        progress(Stage.Packaging, 1);
        return new PackageResult
        {
            TitleId = request.TitleId,
            MasterPlaylist = $"{request.TitleId}/master.m3u8",
            ReleaseDate = request.ReleaseDate,
            DurationSeconds = Math.Round(media.Duration.TotalSeconds, 3),
            SourceWidth = media.DisplayWidth,
            SourceHeight = media.DisplayHeight,
            SourceRotation = media.Rotation,
            FrameRate = Math.Round(media.FrameRate, 3),
            Encoder = encoder.Encoder,
            HardwareEncoder = encoder.Hardware,
            EncoderReason = encoder.Reason,
            EncodeSeconds = Math.Round(encodeSeconds, 3),
            RealtimeFactor = Math.Round(realtime, 3),
            Renditions = results,
            Objects = ListObjects(outputDirectory, request.TitleId),
        };
    }

    /// <summary>Every file of a title tree with its size, paths relative to the origin root.</summary>
    public static IReadOnlyList<CatalogObject> ListObjects(string titleDirectory, string titleId)
        => Directory.EnumerateFiles(titleDirectory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != PublishStampFile)
            .Select(f => new CatalogObject($"{titleId}/{Path.GetRelativePath(titleDirectory, f).Replace('\\', '/')}", new FileInfo(f).Length))
            .OrderBy(o => o.Path, StringComparer.Ordinal)
            .ToList();

    /// <summary>Renames the init segment to init.mp4, rewrites the playlist and measures the rendition.</summary>
    private static (MediaPlaylist Playlist, Measured Measured) FinishRendition(string outputDirectory, string name, MediaInfo media)
    {
        var dir = Path.Combine(outputDirectory, name);
        var playlistPath = Path.Combine(dir, "index.m3u8");
        if (!File.Exists(playlistPath))
        {
            throw new PackagingException($"ffmpeg wrote no playlist for {name}");
        }

        var written = MediaPlaylist.Parse(File.ReadAllText(playlistPath));
        if (written.Segments.Count == 0 || written.MapUri is null)
        {
            throw new InvalidMediaException($"no media could be encoded for {name} (the source decodes to nothing)");
        }

        // A truncated or damaged source decodes short of what its header promised.
        if (written.DurationSeconds < (media.Duration.TotalSeconds * 0.9) - 0.5)
        {
            throw new InvalidMediaException(string.Create(CultureInfo.InvariantCulture, $"the source is truncated or corrupt: only {written.DurationSeconds:0.0} s of {media.Duration.TotalSeconds:0.0} s could be decoded"));
        }

        const string Init = "init.mp4";
        if (written.MapUri != Init)
        {
            File.Move(Path.Combine(dir, written.MapUri), Path.Combine(dir, Init), overwrite: true);
        }

        var playlist = written with { MapUri = Init };
        File.WriteAllText(playlistPath, playlist.Write());
        var (peak, average, bytes) = Measure(dir, playlist);
        return (playlist, new Measured(peak, average, bytes + new FileInfo(Path.Combine(dir, Init)).Length, CodecStrings.FromInitFile(Path.Combine(dir, Init))));
    }

    /// <summary>Peak and average bit rate of a playlist's segments, and their total size.</summary>
    internal static (long Peak, long Average, long Bytes) Measure(string directory, MediaPlaylist playlist)
    {
        double peak = 0;
        long bytes = 0;
        foreach (var segment in playlist.Segments)
        {
            var size = new FileInfo(Path.Combine(directory, segment.Uri)).Length;
            bytes += size;
            if (segment.DurationSeconds > 0)
            {
                peak = Math.Max(peak, size * 8 / segment.DurationSeconds);
            }
        }

        var duration = playlist.DurationSeconds;
        var average = duration > 0 ? bytes * 8 / duration : 0;
        return ((long)Math.Ceiling(peak), (long)Math.Ceiling(average), bytes);
    }

    private sealed record Measured(long Peak, long Average, long Bytes, string Codecs);

    /// <summary>
    /// Encoding progress from two signals (ffmpeg's reported output time, the segments on disk), reported only
    /// when it moves forward: the furthest of the two wins, so the percentage never goes back.
    /// </summary>
    private sealed class EncodedSoFar(Action<Stage, double> progress, TimeSpan duration)
    {
        private readonly Lock _lock = new();
        private double _fraction;
        private bool _closed;

        public void Report(TimeSpan at)
        {
            var fraction = EncodeProgress.Fraction(at, duration);
            lock (_lock)
            {
                if (_closed || fraction <= _fraction)
                {
                    return;
                }

                _fraction = fraction;
                progress(Stage.Encoding, fraction);
            }
        }

        /// <summary>The encode is over: a timer tick still in flight must not report Encoding after the next stage began.</summary>
        public void Close()
        {
            lock (_lock)
            {
                _closed = true;
            }
        }
    }
}
