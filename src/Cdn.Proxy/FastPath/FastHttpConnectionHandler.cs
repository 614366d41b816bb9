using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// Kestrel connection handler of the cleartext zero-copy listener: takes over each connection's socket for
/// output. Refuses to run on a TLS connection (raw socket writes would bypass encryption).
/// </summary>
public sealed class FastHttpConnectionHandler : ConnectionHandler
{
    private readonly FastPathServices _services;

    /// <summary>Creates the handler.</summary>
    public FastHttpConnectionHandler(FastPathServices services) => _services = services;

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || connection.Features.Get<ITlsHandshakeFeature>() is not null)
        {
            ProxyLog.ConnectionAborted(_services.Logger, connection.ConnectionId, "zero-copy listener needs a plain TCP socket (not TLS)");
            return;
        }

        var stopping = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        _services.Metrics.Connection("http", 1);
        try
        {
            using var handler = new FastHttpConnection(connection.ConnectionId, socket, connection.Transport.Input, _services, stopping);
            await handler.RunAsync();
        }
        finally
        {
            _services.Metrics.Connection("http", -1);
        }
    }
}
