using System.Net;
using System.Net.Sockets;

namespace Cdn.Testing;

/// <summary>Free loopback ports for tests that must know a port before starting a process.</summary>
public static class FreePort
{
    /// <summary>A TCP port free right now on 127.0.0.1.</summary>
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port free for both TCP and UDP (DNS listens on both).</summary>
    public static int TcpAndUdp()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Tcp();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no port free for both TCP and UDP");
    }
}
