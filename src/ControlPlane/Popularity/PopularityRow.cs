namespace Cdn.ControlPlane.Popularity;

/// <summary>Requests for one object at one site in one time window (summed over the site's edges).</summary>
/// <param name="Path">Path as the CDN serves it (<c>/title1/720p/seg_00001.m4s</c>), host and query removed.</param>
/// <param name="TitleId">First path segment.</param>
/// <param name="BucketStart">Start of the window.</param>
/// <param name="Requests">Requests counted.</param>
/// <param name="Bytes">Bytes sent for them.</param>
internal sealed record PopularityRow(string Path, string TitleId, DateTimeOffset BucketStart, long Requests, long Bytes);
