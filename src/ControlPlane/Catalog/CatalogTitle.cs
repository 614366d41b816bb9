using Cdn.Contracts.Catalog;

namespace Cdn.ControlPlane.Catalog;

/// <summary>A title as the planner sees it: its release date and its units (the object list stays in the store).</summary>
/// <param name="Summary">The listing view.</param>
/// <param name="Units">Its placement units, largest first.</param>
internal sealed record CatalogTitle(TitleSummary Summary, IReadOnlyList<CatalogUnit> Units)
{
    public string TitleId => Summary.TitleId;

    /// <summary>The unit (directory) of an object path relative to the origin root: <c>t1/720p/s1.m4s</c> → <c>/t1/720p/</c>.</summary>
    public static string UnitOf(string objectPath)
    {
        ArgumentNullException.ThrowIfNull(objectPath);
        var path = objectPath.StartsWith('/') ? objectPath : "/" + objectPath;
        return path[..(path.LastIndexOf('/') + 1)];
    }

    /// <summary>Groups a published title's objects into units.</summary>
    public static CatalogTitle From(TitlePublished title, DateTimeOffset updatedAt)
    {
        ArgumentNullException.ThrowIfNull(title);
        var units = new Dictionary<string, (int Objects, long Bytes)>(StringComparer.Ordinal);
        long bytes = 0;
        foreach (var o in title.Objects)
        {
            var unit = UnitOf(o.Path);
            var (count, size) = units.GetValueOrDefault(unit);
            units[unit] = (count + 1, size + o.SizeBytes);
            bytes += o.SizeBytes;
        }

        var list = new List<CatalogUnit>(units.Count);
        foreach (var (path, (count, size)) in units)
        {
            list.Add(new CatalogUnit(path, title.TitleId, count, size));
        }

        list.Sort((a, b) => b.Bytes != a.Bytes ? b.Bytes.CompareTo(a.Bytes) : string.CompareOrdinal(a.Path, b.Path));
        var summary = new TitleSummary(title.TitleId, title.MasterPlaylist, title.ReleaseDate, title.DurationSeconds,
            title.Renditions.Count, title.Objects.Count, bytes, updatedAt);
        return new CatalogTitle(summary, list);
    }
}
