using System.Globalization;

namespace Cdn.SystemTests.Titles;

/// <summary>One <c>#EXT-X-STREAM-INF</c> of a master playlist.</summary>
/// <param name="Uri">The media playlist, relative to the master.</param>
/// <param name="Bandwidth">BANDWIDTH (peak, bit/s).</param>
/// <param name="AverageBandwidth">AVERAGE-BANDWIDTH (bit/s), if given.</param>
/// <param name="Width">RESOLUTION width.</param>
/// <param name="Height">RESOLUTION height.</param>
/// <param name="Codecs">CODECS.</param>
public sealed record Variant(string Uri, long Bandwidth, long? AverageBandwidth, int Width, int Height, string? Codecs)
{
    /// <summary>The variants of a master playlist, in playlist order.</summary>
    public static IReadOnlyList<Variant> ParseMaster(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var variants = new List<Variant>();
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            const string Tag = "#EXT-X-STREAM-INF:";
            if (!lines[i].StartsWith(Tag, StringComparison.Ordinal) || i + 1 >= lines.Length)
            {
                continue;
            }

            var attributes = ParseAttributes(lines[i][Tag.Length..]);
            var resolution = attributes.GetValueOrDefault("RESOLUTION", "0x0").Split('x');
            variants.Add(new Variant(
                lines[i + 1],
                long.Parse(attributes["BANDWIDTH"], CultureInfo.InvariantCulture),
                attributes.TryGetValue("AVERAGE-BANDWIDTH", out var average) ? long.Parse(average, CultureInfo.InvariantCulture) : null,
                int.Parse(resolution[0], CultureInfo.InvariantCulture),
                int.Parse(resolution[1], CultureInfo.InvariantCulture),
                attributes.GetValueOrDefault("CODECS")));
        }

        return variants;
    }

    /// <summary>An HLS attribute list (RFC 8216 4.2): NAME=value pairs, values optionally quoted (commas inside quotes).</summary>
    private static Dictionary<string, string> ParseAttributes(string list)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < list.Length)
        {
            var eq = list.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var name = list[i..eq].Trim();
            string value;
            if (eq + 1 < list.Length && list[eq + 1] == '"')
            {
                var close = list.IndexOf('"', eq + 2);
                value = list[(eq + 2)..close];
                i = close + 1;
            }
            else
            {
                var comma = list.IndexOf(',', eq + 1);
                value = comma < 0 ? list[(eq + 1)..] : list[(eq + 1)..comma];
                i = comma < 0 ? list.Length : comma;
            }

            result[name] = value;
            while (i < list.Length && list[i] == ',')
            {
                i++;
            }
        }

        return result;
    }
}
