namespace Packager.Encoding;

/// <summary>Where each scrubbing thumbnail lands: <see cref="Count"/> pictures of <see cref="Width"/>x<see cref="Height"/>, tiled row by row.</summary>
internal sealed record ThumbnailLayout(TimeSpan Interval, int Width, int Height, int Columns, int Rows, int Count)
{
    /// <summary>Thumbnails per sprite.</summary>
    public int PerSprite => Columns * Rows;

    /// <summary>Sprite files written.</summary>
    public int Sprites => (Count + PerSprite - 1) / PerSprite;

    /// <summary>File name of sprite <paramref name="index"/> (0-based), as ffmpeg's image2 muxer numbers them.</summary>
    public static string SpriteName(int index) => $"sprite_{index + 1:000}.jpg";

    /// <summary>Plans the thumbnails of a <paramref name="duration"/> long video shown at <paramref name="displayWidth"/>x<paramref name="displayHeight"/>.</summary>
    public static ThumbnailLayout Plan(ThumbnailOptions options, TimeSpan duration, int displayWidth, int displayHeight)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scale = (double)options.Size / Math.Max(displayWidth, displayHeight);
        var width = Ladder.LadderPlanner.Even(displayWidth * scale);
        var height = Ladder.LadderPlanner.Even(displayHeight * scale);
        // fps=1/I emits a picture at 0, I, 2I … while t < duration.
        var count = Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds / options.Interval.TotalSeconds));
        return new ThumbnailLayout(options.Interval, width, height, options.Columns, options.Rows, count);
    }
}
