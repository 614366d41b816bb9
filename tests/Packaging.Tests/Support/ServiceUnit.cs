namespace Packaging.Tests.Support;

/// <summary>A systemd unit file, read the simple way systemd does: sections of Key=Value lines, keys may repeat.</summary>
public sealed class ServiceUnit
{
    private readonly List<(string Section, string Key, string Value)> _entries;

    private ServiceUnit(List<(string, string, string)> entries) => _entries = entries;

    public static ServiceUnit Read(string path)
    {
        var entries = new List<(string, string, string)>();
        var section = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            entries.Add((section, line[..eq], line[(eq + 1)..]));
        }

        return new ServiceUnit(entries);
    }

    /// <summary>Every value of <paramref name="key"/> in [Service], in order.</summary>
    public IReadOnlyList<string> All(string key) => _entries.Where(e => e.Section == "Service" && e.Key == key).Select(e => e.Value).ToList();

    /// <summary>The value of <paramref name="key"/> in [Service]; fails the test when it is not set once.</summary>
    public string Required(string key)
    {
        var values = All(key);
        Assert.True(values.Count == 1, $"{key} is set {values.Count} times in the unit");
        return values[0];
    }

    public string? Optional(string key) => All(key) is { Count: > 0 } values ? values[^1] : null;
}
