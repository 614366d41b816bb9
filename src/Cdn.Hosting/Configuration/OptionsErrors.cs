namespace Cdn.Hosting.Configuration;

/// <summary>
/// Collects every problem found in a configuration section, each named by its configuration path
/// (<c>Edge:Cache:Volumes:0:Path</c>), so an operator fixes them all in one pass instead of one per start.
/// </summary>
public sealed class OptionsErrors
{
    private readonly List<string> _errors = [];

    /// <summary>The problems found so far, each as "path: message".</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>True when at least one problem was found.</summary>
    public bool HasErrors => _errors.Count > 0;

    /// <summary>Records a problem with the setting at <paramref name="path"/>.</summary>
    public void Add(string path, string message) => _errors.Add($"{path}: {message}");

    /// <summary>Records a problem when <paramref name="condition"/> is false.</summary>
    public bool Require(bool condition, string path, string message)
    {
        if (!condition)
        {
            Add(path, message);
        }

        return condition;
    }

    /// <summary>Checks that an integer setting lies in an inclusive range.</summary>
    public void InRange(long value, long min, long max, string path)
    {
        if (value < min || value > max)
        {
            Add(path, $"must be between {min} and {max}, got {value}");
        }
    }

    /// <summary>Checks that a time span setting lies in an inclusive range.</summary>
    public void InRange(TimeSpan value, TimeSpan min, TimeSpan max, string path)
    {
        if (value < min || value > max)
        {
            Add(path, $"must be between {min} and {max}, got {value}");
        }
    }

    /// <summary>Checks that a string setting is present.</summary>
    public bool NotEmpty(string? value, string path)
        => Require(!string.IsNullOrWhiteSpace(value), path, "must be set");

    /// <summary>Joins two configuration path segments.</summary>
    public static string Path(string parent, string child) => parent.Length == 0 ? child : $"{parent}:{child}";
}
