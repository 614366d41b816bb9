using System.Diagnostics;
using Xunit;

namespace Cdn.Testing;

/// <summary>The repository's daemon binaries, built beside the tests, started as real processes.</summary>
public static class Daemons
{
    /// <summary>The directory holding EdgeNode.sln, above this test assembly.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EdgeNode.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException($"no EdgeNode.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>
    /// <c>src/&lt;project&gt;/bin/&lt;configuration&gt;/net10.0/&lt;assembly&gt;.dll</c> in the configuration of this test
    /// build; fails naming the path when it is not built.
    /// </summary>
    public static string Binary(string project, string assembly)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var path = Path.Combine(RepositoryRoot, "src", project, "bin", configuration, "net10.0", assembly + ".dll");
        Assert.True(File.Exists(path), $"{assembly} not built at {path}");
        return path;
    }

    public static Process Start(string dll, string config, string log)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--config");
        psi.ArgumentList.Add(config);
        var process = Process.Start(psi)!;
        var writer = TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGTERM, as systemd stops a unit; returns the exit code.</summary>
    public static async Task<int> TerminateAsync(Process process, TimeSpan timeout)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])!;
        await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
