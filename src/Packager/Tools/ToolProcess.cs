using System.Diagnostics;
using System.Text;

namespace Packager.Tools;

/// <summary>
/// Runs ffmpeg/ffprobe with an argument list (never a shell string, so file names cannot inject options),
/// keeps the tail of standard error for the failure reason, and kills the whole process tree on cancellation
/// so a cancelled or abandoned job does not leave an encoder burning the CPU.
/// </summary>
internal static class ToolProcess
{
    private const int StdErrTailLines = 40;

    /// <summary>Runs to completion. <paramref name="onStdOutLine"/> sees each output line as it arrives (progress).</summary>
    public static async Task<ToolResult> RunAsync(
        string file,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        Action<string>? onStdOutLine = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ToolMissingException($"cannot start '{file}': {ex.Message} (install ffmpeg or set Encoding:Ffmpeg/Ffprobe)", ex);
        }

        var stdout = new StringBuilder();
        var tail = new Queue<string>(StdErrTailLines);
        var outTask = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                if (onStdOutLine is null)
                {
                    stdout.Append(line).Append('\n');
                }
                else
                {
                    onStdOutLine(line);
                }
            }
        }, CancellationToken.None);
        var errTask = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (tail)
                {
                    if (tail.Count == StdErrTailLines)
                    {
                        tail.Dequeue();
                    }

                    tail.Enqueue(line);
                }
            }
        }, CancellationToken.None);

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        await Task.WhenAll(outTask, errTask);
        string err;
        lock (tail)
        {
            err = string.Join('\n', tail);
        }

        return new ToolResult(process.ExitCode, stdout.ToString(), err);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
