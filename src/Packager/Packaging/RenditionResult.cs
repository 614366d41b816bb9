namespace Packager.Packaging;

/// <summary>A published rendition (video or audio) as measured on its written segments.</summary>
/// <param name="Name">Directory name.</param>
/// <param name="Kind"><c>video</c> or <c>audio</c>.</param>
/// <param name="Width">Picture width (0 for audio).</param>
/// <param name="Height">Picture height (0 for audio).</param>
/// <param name="PeakBandwidth">Largest segment bit rate of this rendition alone.</param>
/// <param name="AverageBandwidth">Average bit rate.</param>
/// <param name="Codecs">RFC 6381 codec string from the init segment.</param>
/// <param name="Playlist">Media playlist path relative to the origin root.</param>
/// <param name="Segments">Segment count.</param>
/// <param name="SizeBytes">Init plus segments.</param>
internal sealed record RenditionResult(
    string Name,
    string Kind,
    int Width,
    int Height,
    long PeakBandwidth,
    long AverageBandwidth,
    string Codecs,
    string Playlist,
    int Segments,
    long SizeBytes);
