using System.Diagnostics;

namespace LoadBench.Servers;

/// <summary>
/// What every server under test has: its directory, the origin it fronts, the TLS pair, the core it is pinned
/// to, its ports, and the processes it started (whose CPU counts as the server's; killed in reverse order).
/// </summary>
internal abstract class ServerUnderTest(string dir, int originPort, (string Cert, string Key) tls, string core, int httpPort, int httpsPort) : IServerUnderTest
{
    private readonly List<Process> _started = [];

    public abstract string Name { get; }

    public int HttpPort { get; } = httpPort;

    public int HttpsPort { get; } = httpsPort;

    protected string Dir { get; } = dir;

    protected int OriginPort { get; } = originPort;

    protected (string Cert, string Key) Tls { get; } = tls;

    protected string Core { get; } = core;

    public IReadOnlyList<int> Processes() => [.. _started.SelectMany(p => ProcessTree.WithDescendants(p.Id))];

    public abstract Task StartAsync();

    /// <summary>Counts <paramref name="process"/> as part of this server from now on.</summary>
    protected Process Track(Process process)
    {
        _started.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            var process = _started[i];
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}
