using System.Net;
using System.Net.Sockets;

namespace LocalCdn.Nodes;

/// <summary>
/// Picks free ports for a whole topology at once: each port is held (bound) until the reservation is disposed,
/// so no two listeners of the topology get the same port even on different loopback addresses. The daemons
/// bind them after disposal; a port stolen in between makes that daemon fail to start, loudly.
/// </summary>
public sealed class PortReservation : IDisposable
{
    private readonly List<IDisposable> _held = [];

    /// <summary>A TCP port free on <paramref name="address"/> (and on 127.0.0.1, so loopback clients of either see it free).</summary>
    public int Tcp(string address = "127.0.0.1")
    {
        var ip = IPAddress.Parse(address);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var listener = new TcpListener(ip, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _held.Add(listener.Server);
            if (ip.Equals(IPAddress.Loopback) || TryHold(new TcpListener(IPAddress.Loopback, port)))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free TCP port on {address}");
    }

    /// <summary>A port free for both TCP and UDP on <paramref name="address"/> (a DNS server listens on both).</summary>
    public int TcpAndUdp(string address = "127.0.0.1")
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Tcp(address);
            try
            {
                _held.Add(new UdpClient(new IPEndPoint(IPAddress.Parse(address), port)));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"no port free for both TCP and UDP on {address}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var socket in _held)
        {
            socket.Dispose();
        }

        _held.Clear();
    }

    private bool TryHold(TcpListener listener)
    {
        try
        {
            listener.Start();
            _held.Add(listener.Server);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
