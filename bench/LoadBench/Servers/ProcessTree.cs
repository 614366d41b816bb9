using System.Diagnostics;
using System.Globalization;

namespace LoadBench.Servers;

/// <summary>Process helpers: start pinned to a core, find children, read CPU time from /proc.</summary>
internal static class ProcessTree
{
    private static readonly double TicksPerSecond = 100; // CLK_TCK on Linux x86-64

    /// <summary>Starts <paramref name="file"/> pinned to <paramref name="core"/> with taskset.</summary>
    public static Process Start(string core, string file, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? log = null)
    {
        var psi = new ProcessStartInfo("taskset") { UseShellExecute = false, RedirectStandardOutput = log is not null, RedirectStandardError = log is not null };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(core);
        psi.ArgumentList.Add(file);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        if (log is not null)
        {
            var writer = TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    /// <summary>The process and all its descendants.</summary>
    public static List<int> WithDescendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        var result = new List<int> { root };
        for (var i = 0; i < result.Count; i++)
        {
            result.AddRange(parents.Where(p => p.Value == result[i]).Select(p => p.Key));
        }

        return result;
    }

    /// <summary>User + system CPU seconds consumed so far by the processes.</summary>
    public static double CpuSeconds(IEnumerable<int> pids)
    {
        double total = 0;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            }
            catch (IOException)
            {
            }
        }

        return total;
    }

    /// <summary>Resident memory in bytes of the processes.</summary>
    public static long RssBytes(IEnumerable<int> pids)
    {
        long total = 0;
        foreach (var pid in pids)
        {
            try
            {
                var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (line is not null)
                {
                    total += long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
            catch (IOException)
            {
            }
        }

        return total;
    }

    /// <summary>Runs a short command to completion; throws with its output when it fails.</summary>
    public static async Task RunAsync(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {error}");
        }
    }

    /// <summary>Waits until something accepts TCP connections on the loopback port.</summary>
    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Waits until GET <paramref name="url"/> answers with <paramref name="expected"/>.</summary>
    public static async Task WaitForAsync(string url, TimeSpan timeout, int expected = 200)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if ((int)(await http.GetAsync(url)).StatusCode == expected)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{url} did not answer {expected} within {timeout}");
            }

            await Task.Delay(100);
        }
    }
}
