namespace Packager.Hls;

/// <summary>An audio rendition of the master playlist's audio group.</summary>
/// <param name="Name">Unique name in the group.</param>
/// <param name="Uri">Media playlist relative to the master.</param>
/// <param name="Language">RFC 5646 / ISO 639 tag, or null.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="PeakBitsPerSecond">Largest segment bit rate.</param>
/// <param name="AverageBitsPerSecond">Average bit rate.</param>
/// <param name="Codecs">RFC 6381 string, e.g. <c>mp4a.40.2</c>.</param>
internal sealed record AudioRendition(string Name, string Uri, string? Language, int Channels, long PeakBitsPerSecond, long AverageBitsPerSecond, string Codecs);
