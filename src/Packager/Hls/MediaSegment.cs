namespace Packager.Hls;

/// <summary>One segment of a media playlist: its duration and URI relative to the playlist.</summary>
internal sealed record MediaSegment(double DurationSeconds, string Uri);
