namespace Packaging.Tests.Support;

/// <summary>A unit's SystemCallFilter= allow-list, expanded the way systemd expands it (groups within groups).</summary>
public static class SyscallFilter
{
    /// <summary>Every system call <paramref name="filters"/> (e.g. <c>@system-service</c>) allows.</summary>
    public static async Task<HashSet<string>> ExpandAsync(IEnumerable<string> filters)
    {
        var (code, stdout, stderr) = await ExternalTool.RunAsync(ExternalTool.Require("systemd-analyze", "systemd"), ["syscall-filter"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        var groups = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var line in stdout.Split('\n'))
        {
            if (line.StartsWith('@'))
            {
                groups[line.Trim()] = current = [];
            }
            else if (current is not null && line.Trim() is { Length: > 0 } entry && !entry.StartsWith('#'))
            {
                current.Add(entry);
            }
        }

        var allowed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(filters.SelectMany(f => f.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var item))
        {
            Assert.False(item.StartsWith('~'), "deny-list filters are not expanded here");
            if (!item.StartsWith('@'))
            {
                allowed.Add(item);
            }
            else if (seen.Add(item))
            {
                Assert.True(groups.TryGetValue(item, out var members), $"systemd knows no syscall group {item}");
                foreach (var member in members)
                {
                    pending.Push(member);
                }
            }
        }

        return allowed;
    }

    /// <summary>The system call names in an <c>strace -c</c> summary.</summary>
    public static HashSet<string> FromStraceSummary(string summary)
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in summary.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && double.TryParse(fields[0], System.Globalization.CultureInfo.InvariantCulture, out _) && fields[^1] != "total")
            {
                calls.Add(fields[^1]);
            }
        }

        return calls;
    }
}
