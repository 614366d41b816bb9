using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// Kestrel connection handler of the fast HTTP/1.1 path. On a cleartext listener it takes over each
/// connection's socket for output (headers and sendfile). Behind Kestrel's TLS layer it writes to the
/// connection's SslStream instead — never to the raw socket, which would bypass encryption.
/// </summary>
public sealed class FastHttpConnectionHandler : ConnectionHandler
{
    private readonly FastPathServices _services;

    /// <summary>Creates the handler.</summary>
    public FastHttpConnectionHandler(FastPathServices services) => _services = services;

    /// <summary>A connection whose TLS we terminated: the fast engine writes to <paramref name="ssl"/>, whose records go straight to <paramref name="socket"/>.</summary>
    internal Task OnTlsConnectedAsync(ConnectionContext connection, SslStream ssl, Socket socket)
        => RunAsync(connection, new TlsResponseOutput(connection, ssl, socket, _services), "https");

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tls = connection.Features.Get<ITlsHandshakeFeature>() is not null;
        ResponseOutput output;
        if (tls)
        {
            if (connection.Features.Get<ISslStreamFeature>()?.SslStream is not { } ssl)
            {
                ProxyLog.ConnectionAborted(_services.Logger, connection.ConnectionId, "fast path needs the connection's SslStream");
                return;
            }

            output = new TlsResponseOutput(connection, ssl, socket: null, _services);
        }
        else if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            output = new SocketResponseOutput(socket, _services, connection.ConnectionId);
        }
        else
        {
            ProxyLog.ConnectionAborted(_services.Logger, connection.ConnectionId, "fast path needs a TCP socket");
            return;
        }

        await RunAsync(connection, output, tls ? "https" : "http");
    }

    private async Task RunAsync(ConnectionContext connection, ResponseOutput output, string listener)
    {
        var stopping = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        var client = (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address.ToString();
        _services.Metrics.Connection(listener, 1);
        try
        {
            using var handler = new FastHttpConnection(connection.ConnectionId, output, connection.Transport.Input, client, _services, stopping);
            await handler.RunAsync();
        }
        finally
        {
            _services.Metrics.Connection(listener, -1);
        }
    }
}
