using System.Diagnostics;

namespace Cdn.Testing;

/// <summary>
/// Finds a program a system test needs (ffmpeg, dig, nginx, chromium…). In CI (<c>CI</c> set) a missing tool
/// fails the test loudly — .ci/run installs them; on a developer machine the test says what to install.
/// </summary>
public static class ExternalTool
{
    /// <summary>Full path of <paramref name="name"/>, or fails the test.</summary>
    public static string Require(string name, string debianPackage)
    {
        var path = Find(name);
        if (path is null)
        {
            throw new InvalidOperationException($"'{name}' is not installed: run 'apt-get install -y {debianPackage}' (eng/test.sh installs it)");
        }

        return path;
    }

    /// <summary>Full path of <paramref name="name"/> on PATH (or sbin dirs), or null.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"]);
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs a program to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
