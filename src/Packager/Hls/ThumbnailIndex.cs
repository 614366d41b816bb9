using System.Globalization;
using System.Text;
using Packager.Encoding;

namespace Packager.Hls;

/// <summary>
/// The WebVTT index of the scrubbing thumbnails: one cue per thumbnail whose payload is
/// <c>sprite_001.jpg#xywh=x,y,w,h</c> (the media fragment form players such as video.js and hls.js plugins read).
/// </summary>
internal static class ThumbnailIndex
{
    public static string Write(ThumbnailLayout layout, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder("WEBVTT\n");
        for (var i = 0; i < layout.Count; i++)
        {
            var start = layout.Interval * i;
            var end = layout.Interval * (i + 1);
            if (end > duration)
            {
                end = duration;
            }

            if (end <= start)
            {
                break;
            }

            var inSprite = i % layout.PerSprite;
            var x = inSprite % layout.Columns * layout.Width;
            var y = inSprite / layout.Columns * layout.Height;
            text.Append(inv, $"\n{Timestamp(start)} --> {Timestamp(end)}\n");
            text.Append(inv, $"{ThumbnailLayout.SpriteName(i / layout.PerSprite)}#xywh={x},{y},{layout.Width},{layout.Height}\n");
        }

        return text.ToString();
    }

    private static string Timestamp(TimeSpan t)
        => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}");
}
