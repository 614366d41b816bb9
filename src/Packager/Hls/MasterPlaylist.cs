using System.Globalization;
using System.Text;

namespace Packager.Hls;

/// <summary>
/// Writes the multivariant (master) playlist. BANDWIDTH is the peak segment bit rate measured on the written
/// segments (video plus the largest audio rendition, as RFC 8216 4.3.4.2 asks for the "largest sum" of any
/// playable combination), AVERAGE-BANDWIDTH the measured average, CODECS the strings read from the encoded
/// streams' init segments.
/// </summary>
internal static class MasterPlaylist
{
    /// <summary>The audio group id.</summary>
    public const string AudioGroup = "aud";

    public static string Write(IReadOnlyList<VariantStream> variants, IReadOnlyList<AudioRendition> audio, int version = 7)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(audio);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("#EXTM3U\n");
        text.Append(inv, $"#EXT-X-VERSION:{version}\n");
        text.Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (var i = 0; i < audio.Count; i++)
        {
            var a = audio[i];
            text.Append(inv, $"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"{AudioGroup}\",NAME=\"{a.Name}\"");
            if (a.Language is not null)
            {
                text.Append(inv, $",LANGUAGE=\"{a.Language}\"");
            }

            text.Append(i == 0 ? ",DEFAULT=YES,AUTOSELECT=YES" : ",DEFAULT=NO,AUTOSELECT=YES");
            text.Append(inv, $",CHANNELS=\"{a.Channels}\",URI=\"{a.Uri}\"\n");
        }

        var audioPeak = audio.Count == 0 ? 0 : audio.Max(a => a.PeakBitsPerSecond);
        var audioAverage = audio.Count == 0 ? 0 : audio.Max(a => a.AverageBitsPerSecond);
        var audioCodecs = audio.Select(a => a.Codecs).Distinct(StringComparer.Ordinal).ToList();
        foreach (var v in variants.OrderBy(v => v.PeakBitsPerSecond))
        {
            var codecs = string.Join(',', new[] { v.Codecs }.Concat(audioCodecs));
            text.Append(inv, $"#EXT-X-STREAM-INF:BANDWIDTH={v.PeakBitsPerSecond + audioPeak},AVERAGE-BANDWIDTH={v.AverageBitsPerSecond + audioAverage}");
            text.Append(inv, $",RESOLUTION={v.Width}x{v.Height},CODECS=\"{codecs}\",FRAME-RATE={v.FrameRate:0.000}");
            if (audio.Count > 0)
            {
                text.Append(inv, $",AUDIO=\"{AudioGroup}\"");
            }

            text.Append(inv, $"\n{v.Uri}\n");
        }

        return text.ToString();
    }
}
