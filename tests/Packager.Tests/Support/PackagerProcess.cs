using System.Diagnostics;
using System.Net.Http.Headers;

namespace Packager.Tests.Support;

/// <summary>The real <c>packager</c> binary as a child process (for crash tests: a process can be killed, a host in the test process cannot).</summary>
internal sealed class PackagerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private PackagerProcess(Process process, int port)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PackagerHost.Token);
    }

    public HttpClient Http { get; }

    /// <summary>The built packager.dll beside this test build (same configuration).</summary>
    public static string Assembly => Daemons.Binary("Packager", "packager");

    /// <summary>Runs <c>packager</c> with <paramref name="args"/> to completion.</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args)
        => ExternalTool.RunAsync("dotnet", [Assembly, .. args], TimeSpan.FromMinutes(2));

    public static async Task<PackagerProcess> StartAsync(IDictionary<string, string> settings)
    {
        var port = FreePort.Tcp();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Assembly);
        foreach (var (key, value) in settings)
        {
            psi.ArgumentList.Add(key == "Packager:Listen:Port" ? $"--{key}={port}" : $"--{key}={value}");
        }

        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new PackagerProcess(process, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                if ((await started.Http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return started;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"packager did not start (exited: {process.HasExited})");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kills the packager and its ffmpeg at once, like a power cut: no graceful stop, no lease released.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
