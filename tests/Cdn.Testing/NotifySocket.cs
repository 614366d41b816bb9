using System.Net.Sockets;
using System.Text;

namespace Cdn.Testing;

/// <summary>A unix datagram socket standing in for systemd's notify socket.</summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly TempDirectory _dir = new("notify");

    public NotifySocket()
    {
        Path = _dir.Combine("notify.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        if (!OperatingSystem.IsWindows())
        {
            // Writable by everyone, as systemd's own: a daemon that runs as its own user can still notify.
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        }
    }

    public string Path { get; }

    /// <summary>Receives messages until one contains <paramref name="expected"/> or the timeout passes.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string expected, TimeSpan timeout)
    {
        var received = new List<string>();
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        while (!received.Any(m => m.Contains(expected, StringComparison.Ordinal)))
        {
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            received.Add(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return received;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _dir.Dispose();
    }
}
