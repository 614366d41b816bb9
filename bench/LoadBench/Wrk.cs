using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LoadBench;

/// <summary>One wrk run's results.</summary>
internal sealed record WrkResult(long Requests, double Seconds, long Bytes, double P99Ms, long Errors)
{
    public double RequestsPerSecond => Requests / Seconds;

    public double Gbps => Bytes * 8 / Seconds / 1e9;
}

/// <summary>Runs wrk (Debian's) pinned to the client core, with a Lua script cycling through a path list.</summary>
internal static partial class Wrk
{
    public static string WriteScript(string path, IReadOnlyList<string> paths, string host)
    {
        var lua = new StringBuilder("local paths = {\n");
        foreach (var p in paths)
        {
            lua.Append("  \"").Append(p).Append("\",\n");
        }

        lua.Append(CultureInfo.InvariantCulture, $$"""
            }
            local i = 0
            local headers = { ["Host"] = "{{host}}" }
            request = function()
              i = i + 1
              if i > #paths then i = 1 end
              return wrk.format("GET", paths[i], headers)
            end
            """);
        File.WriteAllText(path, lua.ToString());
        return path;
    }

    public static async Task<WrkResult> RunAsync(string core, string url, string script, int connections, TimeSpan duration)
    {
        var psi = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-c", core, "wrk", "-t1", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, url])
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}{output}");
        }

        var total = Total().Match(output);
        if (!total.Success)
        {
            throw new InvalidOperationException($"cannot parse wrk output: {output}");
        }

        var requests = long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = Duration(total.Groups[2].Value, total.Groups[3].Value) / 1000;
        var bytes = Size(total.Groups[4].Value, total.Groups[5].Value);
        var p99 = P99().Match(output) is { Success: true } m ? Duration(m.Groups[1].Value, m.Groups[2].Value) : double.NaN;
        long errors = 0;
        foreach (Match e in Errors().Matches(output))
        {
            errors += long.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (NonSuccess().Match(output) is { Success: true } n)
        {
            errors += long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return new WrkResult(requests, seconds, bytes, p99, errors);
    }

    private static long Size(string value, string unit)
    {
        var v = double.Parse(value, CultureInfo.InvariantCulture);
        return (long)(unit switch
        {
            "KB" => v * 1024,
            "MB" => v * 1024 * 1024,
            "GB" => v * 1024 * 1024 * 1024,
            "TB" => v * 1024 * 1024 * 1024 * 1024,
            _ => v,
        });
    }

    private static double Duration(string value, string unit)
    {
        var v = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => v / 1000,
            "ms" => v,
            "s" => v * 1000,
            "m" => v * 60_000,
            "h" => v * 3_600_000,
            _ => v,
        };
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)(B|KB|MB|GB|TB) read")]
    private static partial Regex Total();

    [GeneratedRegex(@"99%\s+([\d.]+)(us|ms|s|m)")]
    private static partial Regex P99();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex Errors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();
}
