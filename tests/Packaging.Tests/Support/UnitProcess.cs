using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Packaging.Tests.Support;

/// <summary>
/// An installed daemon started the way its systemd unit starts it, without systemd (CI runs none): the unit's
/// ExecStart as its User and Group, with its capability bounding and ambient sets, NoNewPrivileges, LimitNOFILE,
/// UMask and Environment, and the variables systemd sets (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID,
/// INVOCATION_ID, HOME…). It runs in a network namespace of its own, so the shipped ports (80, 443) clash with
/// nothing on the machine; <see cref="CurlAsync"/> reaches it there.
/// </summary>
public sealed class UnitProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly ServiceUnit _unit;

    private readonly bool _wrapped;

    private UnitProcess(Process process, ServiceUnit unit, bool wrapped)
    {
        _process = process;
        _unit = unit;
        _wrapped = wrapped;
    }

    /// <summary>The process started: the daemon, or the wrapper it runs under.</summary>
    public int Pid => _process.Id;

    /// <summary>The daemon's process (the wrapper's child when there is a wrapper).</summary>
    public int DaemonPid
    {
        get
        {
            if (!_wrapped)
            {
                return Pid;
            }

            var children = File.ReadAllText($"/proc/{Pid}/task/{Pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(children.Length == 1, $"the wrapper has {children.Length} children");
            return int.Parse(children[0], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>What the daemon wrote to stdout and stderr (the journal, under systemd).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the unit at <paramref name="unitPath"/>; <paramref name="environment"/> adds variables (as a drop-in's Environment= would).</summary>
    /// <param name="wrapper">A command the daemon runs under (e.g. strace), after the privileges are dropped.</param>
    public static UnitProcess Start(string unitPath, string notifySocket, TimeSpan watchdog, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? wrapper = null)
    {
        var unit = ServiceUnit.Read(unitPath);
        var user = unit.Required("User");
        var group = unit.Required("Group");
        var caps = Capabilities(unit.Optional("AmbientCapabilities"));
        var bounding = Capabilities(unit.Optional("CapabilityBoundingSet"));
        var setpriv = new List<string> { "setpriv", $"--reuid={user}", $"--regid={group}", "--init-groups" };
        if (unit.Optional("NoNewPrivileges") == "yes")
        {
            setpriv.Add("--no-new-privs");
        }

        setpriv.Add($"--inh-caps=-all{caps}");
        setpriv.Add($"--ambient-caps=-all{caps}");
        setpriv.Add($"--bounding-set=-all{bounding}");

        var env = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["LANG"] = "C.UTF-8",
            ["USER"] = user,
            ["LOGNAME"] = user,
            ["HOME"] = $"/var/lib/{user}",
            ["SHELL"] = "/usr/sbin/nologin",
            ["INVOCATION_ID"] = Guid.NewGuid().ToString("N"),
            ["NOTIFY_SOCKET"] = notifySocket,
            ["WATCHDOG_USEC"] = ((long)watchdog.TotalMicroseconds).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var assignment in unit.All("Environment"))
        {
            var eq = assignment.IndexOf('=', StringComparison.Ordinal);
            env[assignment[..eq]] = assignment[(eq + 1)..];
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        // One process from unshare to the daemon (each step execs the next), so $$ is the main PID, as
        // WATCHDOG_PID is under systemd.
        var script = new StringBuilder("ip link set lo up && ");
        if (unit.Optional("LimitNOFILE") is { } files)
        {
            // systemd raises the limit as root; a sandbox without CAP_SYS_RESOURCE (this CI) cannot go above
            // its own hard limit, so the daemon gets the lower of the two.
            var limit = Math.Min(long.Parse(files, CultureInfo.InvariantCulture), HardOpenFilesLimit());
            script.Append(CultureInfo.InvariantCulture, $"ulimit -n {limit} && ");
        }

        if (unit.Optional("UMask") is { } umask)
        {
            script.Append(CultureInfo.InvariantCulture, $"umask {umask} && ");
        }

        // Under a wrapper the daemon is a child: leave WATCHDOG_PID out rather than name the wrong process.
        script.Append("exec ").AppendJoin(' ', setpriv.Select(Quote)).Append(wrapper is null ? " -- env -i WATCHDOG_PID=$$ " : " -- env -i ");
        script.AppendJoin(' ', env.Select(kv => Quote($"{kv.Key}={kv.Value}"))).Append(' ');
        if (wrapper is not null)
        {
            script.AppendJoin(' ', wrapper.Select(Quote)).Append(' ');
        }

        script.Append(unit.Required("ExecStart"));

        var psi = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in (string[])["--net", "--", "/bin/sh", "-c", script.ToString()])
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start unshare");
        var started = new UnitProcess(process, unit, wrapper is not null);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>
    /// curl inside the daemon's network namespace: returns the status, the response headers and the body.
    /// </summary>
    public async Task<(int Status, string Headers, byte[] Body)> CurlAsync(string url, params string[] options)
    {
        using var body = new TempDirectory("curl");
        var file = body.Combine("body");
        var (code, stdout, stderr) = await ExternalTool.RunAsync("nsenter",
            [$"--net=/proc/{Pid}/ns/net", "curl", "--silent", "--show-error", "--max-time", "30", "--dump-header", "-", "--output", file, .. options, url],
            TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"curl {url} failed ({code}): {stderr}\n--- daemon output ---\n{Output}");
        var status = int.Parse(stdout.Split(' ', 3)[1], CultureInfo.InvariantCulture);
        return (status, stdout, File.Exists(file) ? await File.ReadAllBytesAsync(file) : []);
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. HUP, as the unit's ExecReload does) to the main process.</summary>
    public async Task SignalAsync(string signal)
    {
        var pid = DaemonPid;
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -{signal} {pid} failed");
    }

    /// <summary>
    /// SIGTERM to the daemon, as systemd stops the unit; waits up to the unit's TimeoutStopSec for the process
    /// started (a wrapper ends with the daemon) and returns its exit code.
    /// </summary>
    public async Task<int> TerminateAsync()
    {
        await SignalAsync("TERM");

        var timeout = ParseSeconds(_unit.Optional("TimeoutStopSec") ?? "90s");
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static long HardOpenFilesLimit()
    {
        var line = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields[1] == "unlimited" ? long.MaxValue : long.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the process has exited.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    private static string Capabilities(string? names)
        => string.Concat((names ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => ",+" + c["CAP_".Length..].ToLowerInvariant()));

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static TimeSpan ParseSeconds(string value)
        => value.EndsWith("min", StringComparison.Ordinal) ? TimeSpan.FromMinutes(int.Parse(value[..^3], CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(int.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
