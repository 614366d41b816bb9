using System.Globalization;
using System.Text;
using Packager.Ladder;

namespace Packager.Encoding;

/// <summary>
/// Builds the single ffmpeg invocation that decodes the source once and, through a split filter, scales and
/// encodes every rendition, the poster and the thumbnail sprites. Keyframes are forced at every multiple of
/// the segment duration by time (<c>force_key_frames expr:</c>), scene-cut keyframes are off and GOPs are
/// closed, so every rendition has an IDR frame at the same instants and the HLS muxer cuts all of them
/// at the same boundaries: players can switch between renditions at any segment.
/// </summary>
internal static class FfmpegArguments
{
    public static IReadOnlyList<string> Build(EncodeJob job, EncodingOptions options, string? progressTarget = "pipe:1")
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(options);
        var inv = CultureInfo.InvariantCulture;
        var segment = options.SegmentDuration.TotalSeconds;
        var gop = Math.Max(1, (int)Math.Round(segment * job.Media.FrameRate));
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        if (progressTarget is not null)
        {
            args.AddRange(["-progress", progressTarget, "-nostats"]);
        }

        args.AddRange(["-i", "file:" + Path.GetFullPath(job.SourcePath)]);

        var outputs = job.Renditions.Count + 1 + (job.Thumbnails is null ? 0 : 1);
        var graph = new StringBuilder();
        graph.Append(inv, $"[0:v:0]split={outputs}");
        for (var i = 0; i < outputs; i++)
        {
            graph.Append(inv, $"[s{i}]");
        }

        for (var i = 0; i < job.Renditions.Count; i++)
        {
            var r = job.Renditions[i];
            graph.Append(inv, $";[s{i}]scale={r.Width}:{r.Height}:flags=bicubic,setsar=1,format=yuv420p[v{i}]");
        }

        var next = job.Renditions.Count;
        graph.Append(inv, $";[s{next}]select='gte(t\\,{job.PosterTime.TotalSeconds:0.###})',scale={job.PosterWidth}:{job.PosterHeight},setsar=1[poster]");
        if (job.Thumbnails is { } t)
        {
            graph.Append(inv, $";[s{next + 1}]fps=1/{t.Interval.TotalSeconds:0.###},scale={t.Width}:{t.Height},setsar=1,tile={t.Columns}x{t.Rows}[thumbs]");
        }

        args.AddRange(["-filter_complex", graph.ToString()]);

        // The HLS output: every video rendition and every audio track.
        for (var i = 0; i < job.Renditions.Count; i++)
        {
            args.AddRange(["-map", $"[v{i}]"]);
        }

        foreach (var track in job.AudioTracks)
        {
            args.AddRange(["-map", $"0:a:{track.Index}"]);
        }

        for (var i = 0; i < job.Renditions.Count; i++)
        {
            AddVideoEncoder(args, i, job.Renditions[i], job, options, gop);
        }

        args.AddRange([
            "-force_key_frames", string.Create(inv, $"expr:gte(t,n_forced*{segment:0.###})"),
            "-g", gop.ToString(inv),
            "-keyint_min", gop.ToString(inv),
            "-flags", "+cgop",
        ]);
        if (job.AudioTracks.Count > 0)
        {
            args.AddRange(["-c:a", "aac", "-b:a", string.Create(inv, $"{job.AudioBitrateKbps}k"), "-ac", "2", "-ar", "48000"]);
        }

        args.AddRange([
            "-max_muxing_queue_size", "4096",
            "-f", "hls",
            "-hls_time", segment.ToString("0.###", inv),
            "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4",
            "-hls_fmp4_init_filename", "init.mp4",
            "-hls_flags", "independent_segments",
            "-start_number", "1",
            "-hls_segment_filename", Path.Combine(job.OutputDirectory, "%v", "seg_%05d.m4s"),
            "-var_stream_map", VarStreamMap(job),
            Path.Combine(job.OutputDirectory, "%v", "index.m3u8"),
        ]);

        args.AddRange(["-map", "[poster]", "-frames:v", "1", "-q:v", "3", Path.Combine(job.OutputDirectory, "poster.jpg")]);
        if (job.Thumbnails is not null)
        {
            args.AddRange(["-map", "[thumbs]", "-q:v", "5", Path.Combine(job.OutputDirectory, "thumbs", "sprite_%03d.jpg")]);
        }

        return args;
    }

    /// <summary>The muxer's stream grouping: one variant per video rendition, audio tracks in the <c>aud</c> group.</summary>
    internal static string VarStreamMap(EncodeJob job)
    {
        var parts = new List<string>();
        var group = job.AudioTracks.Count > 0 ? ",agroup:aud" : "";
        for (var i = 0; i < job.Renditions.Count; i++)
        {
            parts.Add($"v:{i}{group},name:{job.Renditions[i].Name}");
        }

        for (var i = 0; i < job.AudioTracks.Count; i++)
        {
            parts.Add($"a:{i},agroup:aud,name:{EncodeJob.AudioName(i)}");
        }

        return string.Join(' ', parts);
    }

    private static void AddVideoEncoder(List<string> args, int index, Rendition r, EncodeJob job, EncodingOptions options, int gop)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = $":v:{index}";
        args.AddRange([
            "-c" + s, job.Encoder.Encoder,
            "-b" + s, string.Create(inv, $"{r.BitrateKbps}k"),
            "-maxrate" + s, string.Create(inv, $"{r.MaxBitrateKbps}k"),
            "-bufsize" + s, string.Create(inv, $"{r.BufferKbits}k"),
        ]);
        switch (job.Encoder.Encoder)
        {
            case "libx264":
                args.AddRange([
                    "-preset" + s, options.SoftwarePreset,
                    "-profile" + s, "high",
                    "-x264-params" + s, string.Create(inv, $"scenecut=0:open-gop=0:keyint={gop}:min-keyint={gop}"),
                ]);
                break;
            case "libx265":
                args.AddRange([
                    "-preset" + s, options.SoftwarePreset,
                    "-tag" + s, "hvc1",
                    "-x265-params" + s, string.Create(inv, $"scenecut=0:open-gop=0:keyint={gop}:min-keyint={gop}:log-level=error"),
                ]);
                break;
            default:
                // NVENC: IDR frames where keyframes are forced, no scene-cut insertion, VBR within the VBV.
                args.AddRange([
                    "-preset" + s, options.HardwarePreset,
                    "-rc" + s, "vbr",
                    "-forced-idr" + s, "1",
                    "-no-scenecut" + s, "1",
                    "-strict_gop" + s, "1",
                ]);
                if (job.Codec == VideoCodec.Hevc)
                {
                    args.AddRange(["-tag" + s, "hvc1"]);
                }
                else
                {
                    args.AddRange(["-profile" + s, "high"]);
                }

                break;
        }
    }
}
