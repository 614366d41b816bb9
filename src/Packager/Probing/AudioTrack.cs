namespace Packager.Probing;

/// <summary>One audio stream of a source, as ffprobe saw it.</summary>
/// <param name="Index">Position among the source's audio streams (the <c>0:a:N</c> of ffmpeg's -map).</param>
/// <param name="Codec">ffprobe codec name, e.g. <c>aac</c>.</param>
/// <param name="Channels">Channel count.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Language">ISO 639-2 language tag when the source has one (not <c>und</c>).</param>
internal sealed record AudioTrack(int Index, string Codec, int Channels, int SampleRate, string? Language);
