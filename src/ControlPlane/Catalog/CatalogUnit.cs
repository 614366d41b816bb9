namespace Cdn.ControlPlane.Catalog;

/// <summary>
/// What the fill planner ranks and places: the objects of a title directly under one directory (a
/// rendition's playlist and segments, or the title's master playlist and thumbnails). Segments of one
/// rendition are watched together, so they share a forecast and a placement.
/// </summary>
/// <param name="Path">Directory as the CDN serves it, with both slashes: <c>/title1/720p/</c>.</param>
/// <param name="TitleId">The title.</param>
/// <param name="Objects">Objects directly in the directory.</param>
/// <param name="Bytes">Their sizes summed.</param>
internal sealed record CatalogUnit(string Path, string TitleId, int Objects, long Bytes);
