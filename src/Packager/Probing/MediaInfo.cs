namespace Packager.Probing;

/// <summary>What ffprobe found in a source that the ladder and the encoder need.</summary>
/// <param name="Duration">Running time.</param>
/// <param name="Width">Coded width of the first video stream.</param>
/// <param name="Height">Coded height of the first video stream.</param>
/// <param name="FrameRate">Frames per second (average when known, else the stream's base rate).</param>
/// <param name="Rotation">Clockwise display rotation in degrees (0, 90, 180, 270) from the display matrix or rotate tag.</param>
/// <param name="SampleAspectRatio">Pixel aspect ratio (1 for square pixels).</param>
/// <param name="VideoCodec">ffprobe codec name of the video stream.</param>
/// <param name="AudioTracks">Audio streams in source order.</param>
internal sealed record MediaInfo(
    TimeSpan Duration,
    int Width,
    int Height,
    double FrameRate,
    int Rotation,
    double SampleAspectRatio,
    string VideoCodec,
    IReadOnlyList<AudioTrack> AudioTracks)
{
    /// <summary>True when the picture is shown turned by a quarter (portrait phone video stored landscape).</summary>
    public bool IsQuarterTurned => Rotation is 90 or 270;

    /// <summary>Width as displayed: after the rotation and with square pixels.</summary>
    public int DisplayWidth => IsQuarterTurned ? Height : (int)Math.Round(Width * SampleAspectRatio);

    /// <summary>Height as displayed: after the rotation.</summary>
    public int DisplayHeight => IsQuarterTurned ? (int)Math.Round(Width * SampleAspectRatio) : Height;
}
