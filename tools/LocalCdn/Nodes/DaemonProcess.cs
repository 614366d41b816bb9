using System.Diagnostics;
using System.Globalization;

namespace LocalCdn.Nodes;

/// <summary>
/// One of the repository's daemons (edgenode, originshield, controlplane, packager) as a real child process:
/// <c>dotnet &lt;dll&gt; args…</c>, its stdout and stderr written line by line to a log file with a wall-clock
/// stamp (to line up with the player's events), killed like a power cut or stopped like systemd stops a unit.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TextWriter _log;
    private bool _disposed;

    private DaemonProcess(string name, Process process, string logPath, TextWriter log)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    /// <summary>Name in diagnostics.</summary>
    public string Name { get; }

    /// <summary>Process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The log file (stdout and stderr, each line stamped HH:mm:ss.fff UTC).</summary>
    public string LogPath { get; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> in <paramref name="workingDirectory"/>.</summary>
    public static DaemonProcess Start(string name, string dll, IEnumerable<string> args, string logPath, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var log = TextWriter.Synchronized(new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true });
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {name}");
        var daemon = new DaemonProcess(name, process, logPath, log);
        process.OutputDataReceived += (_, e) => daemon.Write(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Polls <paramref name="readyUrl"/> until it answers 2xx; fails with the log's tail when the process exits or time runs out.</summary>
    public async Task WaitReadyAsync(Uri readyUrl, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready; log {LogPath}:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(readyUrl, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} not ready at {readyUrl} after {timeout}; log {LogPath}:\n{Tail()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>SIGKILL: the process and its children die at once (a crash or a pulled power cord).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        Write($"--- {Name} killed (SIGKILL) ---");
    }

    /// <summary>SIGTERM, as systemd stops a unit; SIGKILL if it has not exited within <paramref name="timeout"/>. Returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        return _process.ExitCode;
    }

    /// <summary>The whole log so far.</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The last <paramref name="lines"/> lines of the log.</summary>
    public string Tail(int lines = 80)
    {
        var all = ReadLog().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.WaitForExit();
        _disposed = true; // after the wait: HasExited stays true
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private void Write(string? line)
    {
        if (line is not null)
        {
            try
            {
                _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
