using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LocalCdn.External;

/// <summary>
/// Runs a program the chain needs (ffmpeg, dig, <c>dotnet edgectl.dll</c>) to completion: its output is kept
/// and appended, stamped, to a log file; cancellation (Ctrl-C) and the time limit kill it; a program that is
/// not installed fails with the <c>apt-get install</c> line that fixes it.
/// </summary>
public static class Command
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/>. <paramref name="onStdOutLine"/> and
    /// <paramref name="onStdErrLine"/> see each line as it is printed (progress parsing).
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        string file,
        IEnumerable<string> args,
        TimeSpan timeout,
        string? logPath = null,
        string? debianPackage = null,
        Action<string>? onStdOutLine = null,
        Action<string>? onStdErrLine = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var commandLine = $"{file} {string.Join(' ', psi.ArgumentList.Select(Quote))}";
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' cannot be run ({e.Message})" + (debianPackage is null ? "" : $": install it with 'apt-get install -y {debianPackage}' (eng/run.sh does)"), e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            using var log = logPath is null ? null : TextWriter.Synchronized(new StreamWriter(logPath, append: true) { AutoFlush = true });
            log?.WriteLine($"{Stamp()} $ {commandLine}");
            process.OutputDataReceived += (_, e) => Line(e.Data, stdout, onStdOutLine, log);
            process.ErrorDataReceived += (_, e) => Line(e.Data, stderr, onStdErrLine, log);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                log?.WriteLine($"{Stamp()} killed: {(cancellationToken.IsCancellationRequested ? "cancelled" : $"over its {timeout} limit")}");
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"{commandLine} did not finish within {timeout}");
            }

            process.WaitForExit(); // drains the output events
            log?.WriteLine($"{Stamp()} exit {process.ExitCode}");
            lock (stdout)
            {
                lock (stderr)
                {
                    return new CommandResult(process.ExitCode, stdout.ToString(), stderr.ToString());
                }
            }
        }
    }

    private static void Line(string? line, StringBuilder into, Action<string>? callback, TextWriter? log)
    {
        if (line is null)
        {
            return;
        }

        lock (into)
        {
            into.Append(line).Append('\n');
        }

        log?.WriteLine($"{Stamp()} {line}");
        callback?.Invoke(line);
    }

    private static string Stamp() => DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@+,%".Contains(c, StringComparison.Ordinal)) ? arg : $"'{arg.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
