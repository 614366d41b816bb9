using System.Globalization;
using System.Text;

namespace Packager.Hls;

/// <summary>
/// A VOD media playlist (RFC 8216): read from what ffmpeg's muxer wrote and written back in the form we
/// publish, with #EXT-X-INDEPENDENT-SEGMENTS (every segment starts with an IDR frame) and a correct target duration.
/// </summary>
internal sealed record MediaPlaylist(string? MapUri, IReadOnlyList<MediaSegment> Segments)
{
    /// <summary>Total duration.</summary>
    public double DurationSeconds => Segments.Sum(s => s.DurationSeconds);

    /// <summary>#EXT-X-TARGETDURATION: the largest segment duration rounded to the nearest integer (RFC 8216 4.3.3.1).</summary>
    public int TargetDuration => Segments.Count == 0 ? 1 : Math.Max(1, Segments.Max(s => (int)Math.Round(s.DurationSeconds, MidpointRounding.AwayFromZero)));

    /// <summary>Parses a media playlist.</summary>
    public static MediaPlaylist Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? map = null;
        var segments = new List<MediaSegment>();
        double? pending = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("#EXT-X-MAP:", StringComparison.Ordinal))
            {
                map = Attribute(line, "URI");
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..];
                var comma = value.IndexOf(',', StringComparison.Ordinal);
                pending = double.Parse(comma < 0 ? value : value[..comma], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            else if (!line.StartsWith('#'))
            {
                if (pending is null)
                {
                    throw new FormatException($"segment '{line}' has no #EXTINF");
                }

                segments.Add(new MediaSegment(pending.Value, line));
                pending = null;
            }
        }

        return new MediaPlaylist(map, segments);
    }

    /// <summary>The playlist text as published.</summary>
    public string Write()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("#EXTM3U\n");
        text.Append(inv, $"#EXT-X-VERSION:{(MapUri is null ? 3 : 7)}\n");
        text.Append(inv, $"#EXT-X-TARGETDURATION:{TargetDuration}\n");
        text.Append("#EXT-X-MEDIA-SEQUENCE:1\n");
        text.Append("#EXT-X-PLAYLIST-TYPE:VOD\n");
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (MapUri is not null)
        {
            text.Append(inv, $"#EXT-X-MAP:URI=\"{MapUri}\"\n");
        }

        foreach (var segment in Segments)
        {
            text.Append(inv, $"#EXTINF:{segment.DurationSeconds:0.000000},\n{segment.Uri}\n");
        }

        text.Append("#EXT-X-ENDLIST\n");
        return text.ToString();
    }

    /// <summary>The quoted or plain value of attribute <paramref name="name"/> in a tag line.</summary>
    internal static string? Attribute(string line, string name)
    {
        var key = name + "=";
        var at = 0;
        while ((at = line.IndexOf(key, at, StringComparison.Ordinal)) >= 0)
        {
            var boundary = at == 0 || line[at - 1] is ':' or ',';
            at += key.Length;
            if (!boundary)
            {
                continue;
            }

            if (at < line.Length && line[at] == '"')
            {
                var end = line.IndexOf('"', at + 1);
                return end < 0 ? null : line[(at + 1)..end];
            }

            var comma = line.IndexOf(',', at);
            return comma < 0 ? line[at..] : line[at..comma];
        }

        return null;
    }
}
