using System.Text.RegularExpressions;

namespace Packager.Jobs;

/// <summary>
/// Title ids become directory names under the origin root and URL path segments, so they are restricted to
/// letters, digits, '.', '_' and '-', start with a letter or digit (no hidden or '..' names) and are at most 128 long.
/// </summary>
internal static partial class TitleId
{
    /// <summary>Null when <paramref name="id"/> is usable, else why not.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "a title id is required";
        }

        if (id.Length > 128)
        {
            return $"title id is {id.Length} characters long (at most 128)";
        }

        return Pattern().IsMatch(id)
            ? null
            : $"title id '{id}' may only contain letters, digits, '.', '_' and '-', and must start with a letter or digit (it becomes a directory name)";
    }

    /// <summary>A usable title id made from a file name (watch folder), or null.</summary>
    public static string? FromFileName(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var cleaned = InvalidRun().Replace(stem, "-").Trim('-', '.', '_');
        return Problem(cleaned) is null ? cleaned : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Pattern();

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex InvalidRun();
}
