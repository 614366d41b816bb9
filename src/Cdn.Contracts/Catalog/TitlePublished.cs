namespace Cdn.Contracts.Catalog;

/// <summary>The packager telling the control plane a title is on the origin (sent after the atomic publish).</summary>
/// <param name="TitleId">Catalog id; also the title's directory under the origin root.</param>
/// <param name="MasterPlaylist">Path of the master playlist relative to the origin root, e.g. <c>title1/master.m3u8</c>.</param>
/// <param name="ReleaseDate">When the title becomes available to players (drives the planner's release boost).</param>
/// <param name="DurationSeconds">Running time.</param>
/// <param name="Renditions">The ladder as published.</param>
/// <param name="Objects">Every published file with its size, for fill planning.</param>
public sealed record TitlePublished(
    string TitleId,
    string MasterPlaylist,
    DateTimeOffset? ReleaseDate,
    double DurationSeconds,
    IReadOnlyList<RenditionInfo> Renditions,
    IReadOnlyList<CatalogObject> Objects);

/// <summary>One rendition of a title.</summary>
public sealed record RenditionInfo(string Name, int Width, int Height, long Bandwidth, string Codecs, string Playlist);

/// <summary>A file of a title on the origin: path relative to the origin root, and its size.</summary>
public sealed record CatalogObject(string Path, long SizeBytes);
