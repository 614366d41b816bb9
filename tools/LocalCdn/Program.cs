using System.Runtime.InteropServices;
using LocalCdn.Cli;
using LocalCdn.Nodes;

namespace LocalCdn;

/// <summary>Entry point of the main job (<c>eng/run.sh</c>).</summary>
public static class Program
{
    /// <summary>Exit codes: 0 done, 1 a step failed, 2 bad arguments, 130 interrupted.</summary>
    public static async Task<int> Main(string[] args)
    {
        var parsed = LocalCdnArguments.Parse(args, Path.Combine(DaemonBinary.RepositoryRoot, ".demo"), out var errors);
        if (parsed is null)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync($"LocalCdn: {error}");
            }

            await Console.Error.WriteLineAsync(LocalCdnArguments.Usage);
            return 2;
        }

        if (parsed.Help)
        {
            await Console.Out.WriteLineAsync(LocalCdnArguments.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        try
        {
            return await MainJob.RunAsync(parsed, Console.Out, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Out.WriteLineAsync("== interrupted: every process stopped");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"LocalCdn: {e.Message}");
            return 1;
        }
    }
}
