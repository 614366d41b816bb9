using Cdn.Hosting.Configuration;

namespace Packager.Encoding;

/// <summary>The scrubbing thumbnails: one picture every <see cref="Interval"/>, tiled into JPEG sprites.</summary>
internal sealed class ThumbnailOptions : IValidatableOptions
{
    /// <summary>Write the sprite and its WebVTT index.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between thumbnails (players show the nearest one while scrubbing).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Long side of one thumbnail in pixels.</summary>
    public int Size { get; set; } = 160;

    /// <summary>Thumbnails per sprite row.</summary>
    public int Columns { get; set; } = 10;

    /// <summary>Rows per sprite (a sprite holds Columns x Rows thumbnails).</summary>
    public int Rows { get; set; } = 10;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.InRange(Interval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), OptionsErrors.Path(path, nameof(Interval)));
        errors.InRange(Size, 32, 640, OptionsErrors.Path(path, nameof(Size)));
        errors.InRange(Columns, 1, 32, OptionsErrors.Path(path, nameof(Columns)));
        errors.InRange(Rows, 1, 32, OptionsErrors.Path(path, nameof(Rows)));
    }
}
