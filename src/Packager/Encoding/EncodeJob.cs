using Packager.Ladder;
using Packager.Probing;

namespace Packager.Encoding;

/// <summary>Everything one ffmpeg run needs: the source, the ladder, the encoder and where to write.</summary>
/// <param name="SourcePath">Local source file.</param>
/// <param name="Media">Its analysis.</param>
/// <param name="Renditions">Video renditions, smallest first.</param>
/// <param name="AudioTracks">Source audio tracks to package (each becomes one AAC rendition).</param>
/// <param name="Encoder">The video encoder.</param>
/// <param name="Codec">The video codec of the profile.</param>
/// <param name="AudioBitrateKbps">AAC rate per track.</param>
/// <param name="OutputDirectory">The title's staging directory.</param>
/// <param name="Thumbnails">Sprite layout, or null for none.</param>
/// <param name="PosterWidth">Poster width (even).</param>
/// <param name="PosterHeight">Poster height (even).</param>
internal sealed record EncodeJob(
    string SourcePath,
    MediaInfo Media,
    IReadOnlyList<Rendition> Renditions,
    IReadOnlyList<AudioTrack> AudioTracks,
    EncoderChoice Encoder,
    VideoCodec Codec,
    int AudioBitrateKbps,
    string OutputDirectory,
    ThumbnailLayout? Thumbnails,
    int PosterWidth,
    int PosterHeight)
{
    /// <summary>Directory name of audio track <paramref name="index"/>.</summary>
    public static string AudioName(int index) => $"audio_{index}";

    /// <summary>When the poster frame is taken: a quarter in, at most 30 s (past titles and fades).</summary>
    public TimeSpan PosterTime => TimeSpan.FromSeconds(Math.Min(30, Media.Duration.TotalSeconds * 0.25));
}
