using System.Globalization;
using System.Text.Json;

namespace Packager.Probing;

/// <summary>
/// Reads <c>ffprobe -print_format json -show_format -show_streams</c> output into a <see cref="MediaInfo"/>,
/// rejecting what cannot be packaged with a reason an operator understands.
/// </summary>
internal static class ProbeParser
{
    public static MediaInfo Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidMediaException("ffprobe produced no readable analysis of the source", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidMediaException("the source has no media streams (not a video file)");
            }

            JsonElement? video = null;
            var audio = new List<AudioTrack>();
            foreach (var stream in streams.EnumerateArray())
            {
                var type = String(stream, "codec_type");
                if (type == "video" && video is null && !IsAttachedPicture(stream))
                {
                    video = stream;
                }
                else if (type == "audio")
                {
                    var language = stream.TryGetProperty("tags", out var tags) ? String(tags, "language") : null;
                    audio.Add(new AudioTrack(
                        audio.Count,
                        String(stream, "codec_name") ?? "unknown",
                        Int(stream, "channels") ?? 2,
                        (int)(Number(stream, "sample_rate") ?? 48000),
                        language is null or "und" ? null : language));
                }
            }

            if (video is not { } v)
            {
                throw new InvalidMediaException(audio.Count > 0
                    ? "the source has no video stream (audio only)"
                    : "the source has no video stream");
            }

            var width = Int(v, "width") ?? 0;
            var height = Int(v, "height") ?? 0;
            if (width <= 0 || height <= 0)
            {
                throw new InvalidMediaException("the video stream has no picture size (corrupt or unsupported codec)");
            }

            var duration = Number(root.TryGetProperty("format", out var format) ? format : default, "duration")
                ?? Number(v, "duration")
                ?? 0;
            if (!(duration > 0) || double.IsInfinity(duration))
            {
                throw new InvalidMediaException("the source has zero or unknown duration");
            }

            var fps = Rate(String(v, "avg_frame_rate")) ?? Rate(String(v, "r_frame_rate")) ?? 0;
            if (!(fps > 0) || fps > 1000)
            {
                throw new InvalidMediaException("the video stream has no usable frame rate");
            }

            return new MediaInfo(
                TimeSpan.FromSeconds(duration),
                width,
                height,
                fps,
                Rotation(v),
                AspectRatio(String(v, "sample_aspect_ratio")),
                String(v, "codec_name") ?? "unknown",
                audio);
        }
    }

    /// <summary>Clockwise rotation in 0/90/180/270 from the display matrix side data, else the legacy rotate tag.</summary>
    private static int Rotation(JsonElement video)
    {
        double? degrees = null;
        if (video.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (Number(item, "rotation") is { } r)
                {
                    // ffprobe reports the display matrix rotation counter-clockwise; the rotate tag is clockwise.
                    degrees = -r;
                    break;
                }
            }
        }

        if (degrees is null && video.TryGetProperty("tags", out var tags) && Number(tags, "rotate") is { } tag)
        {
            degrees = tag;
        }

        var quarter = (int)Math.Round((degrees ?? 0) / 90.0);
        return ((quarter % 4) + 4) % 4 * 90;
    }

    private static bool IsAttachedPicture(JsonElement stream)
        => stream.TryGetProperty("disposition", out var d) && Int(d, "attached_pic") == 1;

    private static double AspectRatio(string? sar)
    {
        var value = Rate(sar?.Replace(':', '/'));
        return value is > 0.1 and < 10 ? value.Value : 1.0;
    }

    /// <summary>Parses "30000/1001" or "25".</summary>
    internal static double? Rate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : null;
        }

        if (double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var den)
            && den > 0)
        {
            return num / den;
        }

        return null;
    }

    private static string? String(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static int? Int(JsonElement element, string name)
        => Number(element, name) is { } n ? (int)n : null;

    private static double? Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var p))
        {
            return null;
        }

        return p.ValueKind switch
        {
            JsonValueKind.Number => p.GetDouble(),
            JsonValueKind.String when double.TryParse(p.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }
}
