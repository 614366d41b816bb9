using Cdn.Contracts.Catalog;
using Cdn.ControlPlane.Registry;

namespace Cdn.ControlPlane.Catalog;

/// <summary>Checks a publication before it reaches the catalog; every problem is reported.</summary>
internal static class TitleRules
{
    /// <summary>Most objects one title may list (a 4-hour title in 10 renditions at 2-second segments is 72 000).</summary>
    public const int MaxObjects = 500_000;

    /// <summary>
    /// Normalizes object paths (a leading '/' is dropped: paths are relative to the origin root) and returns
    /// the title with every problem found; the title is usable only when the list is empty.
    /// </summary>
    public static (TitlePublished Title, List<string> Problems) Check(TitlePublished title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var problems = new List<string>();
        if (SiteRules.NameProblem(title.TitleId) is { } id)
        {
            problems.Add($"titleId: {id}");
        }

        if (title.Objects is null || title.Objects.Count == 0)
        {
            problems.Add("objects: list every published file with its size");
            return (title, problems);
        }

        if (title.Objects.Count > MaxObjects)
        {
            problems.Add($"objects: at most {MaxObjects} per title, got {title.Objects.Count}");
        }

        var prefix = title.TitleId + "/";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var objects = new List<CatalogObject>(title.Objects.Count);
        foreach (var o in title.Objects)
        {
            var path = (o?.Path ?? "").TrimStart('/');
            if (PathProblem(path) is { } problem)
            {
                problems.Add($"objects: '{o?.Path}' {problem}");
            }
            else if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                problems.Add($"objects: '{path}' is not under the title's directory '{prefix}'");
            }
            else if (!seen.Add(path))
            {
                problems.Add($"objects: '{path}' is listed twice");
            }

            if (o is not null && o.SizeBytes < 0)
            {
                problems.Add($"objects: '{path}' has a negative size");
            }

            objects.Add(new CatalogObject(path, o?.SizeBytes ?? 0));
            if (problems.Count > 50)
            {
                problems.Add("… (more problems not listed)");
                break;
            }
        }

        var master = (title.MasterPlaylist ?? "").TrimStart('/');
        if (PathProblem(master) is { } masterProblem)
        {
            problems.Add($"masterPlaylist: '{title.MasterPlaylist}' {masterProblem}");
        }

        if (double.IsNaN(title.DurationSeconds) || title.DurationSeconds < 0)
        {
            problems.Add("durationSeconds: must not be negative");
        }

        return (title with { MasterPlaylist = master, Objects = objects, Renditions = title.Renditions ?? [] }, problems);
    }

    private static string? PathProblem(string path)
    {
        if (path.Length == 0)
        {
            return "is empty";
        }

        if (path.Length > 1024)
        {
            return "is longer than 1024 characters";
        }

        foreach (var c in path)
        {
            if (char.IsControl(c) || c is '?' or '#' or '\\')
            {
                return "contains a control character, '?', '#' or '\\'";
            }
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return "has an empty, '.' or '..' segment";
            }
        }

        return null;
    }
}
