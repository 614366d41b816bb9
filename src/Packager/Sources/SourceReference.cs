namespace Packager.Sources;

/// <summary>A job's source: an absolute local path or an http(s) URL.</summary>
internal sealed record SourceReference(string? LocalPath, Uri? Url)
{
    /// <summary>Parses and checks a submitted source; <paramref name="problem"/> says what is wrong.</summary>
    public static SourceReference? TryParse(string? source, IReadOnlyList<string> allowedRoots, bool mustExist, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(source))
        {
            problem = "a source (absolute file path or http(s) URL) is required";
            return null;
        }

        if (source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(source, UriKind.Absolute, out var url) || string.IsNullOrEmpty(url.Host))
            {
                problem = $"'{source}' is not a valid URL";
                return null;
            }

            return new SourceReference(null, url);
        }

        if (source.Contains("://", StringComparison.Ordinal))
        {
            problem = $"source '{source}' uses an unsupported scheme (only http, https and local paths)";
            return null;
        }

        if (!Path.IsPathRooted(source))
        {
            problem = $"source path '{source}' must be absolute";
            return null;
        }

        var full = Path.GetFullPath(source);
        if (allowedRoots.Count > 0 && !allowedRoots.Any(root => IsUnder(full, root)))
        {
            problem = $"source '{full}' is outside the allowed source directories ({string.Join(", ", allowedRoots)})";
            return null;
        }

        if (mustExist && !File.Exists(full))
        {
            problem = Directory.Exists(full) ? $"source '{full}' is a directory, not a file" : $"source file '{full}' does not exist";
            return null;
        }

        return new SourceReference(full, null);
    }

    private static bool IsUnder(string path, string root)
    {
        var r = Path.GetFullPath(root).TrimEnd('/') + "/";
        return path.StartsWith(r, StringComparison.Ordinal);
    }
}
