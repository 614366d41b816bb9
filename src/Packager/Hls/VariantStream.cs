namespace Packager.Hls;

/// <summary>A video variant of the master playlist.</summary>
/// <param name="Uri">Media playlist relative to the master, e.g. <c>720p/index.m3u8</c>.</param>
/// <param name="PeakBitsPerSecond">Largest segment bit rate of the video (audio is added by the writer).</param>
/// <param name="AverageBitsPerSecond">Average bit rate of the video.</param>
/// <param name="Width">Picture width.</param>
/// <param name="Height">Picture height.</param>
/// <param name="Codecs">RFC 6381 string of the video, e.g. <c>avc1.64001f</c>.</param>
/// <param name="FrameRate">Frames per second.</param>
internal sealed record VariantStream(string Uri, long PeakBitsPerSecond, long AverageBitsPerSecond, int Width, int Height, string Codecs, double FrameRate);
