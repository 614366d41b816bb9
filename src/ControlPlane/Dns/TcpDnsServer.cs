using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Dns;

/// <summary>
/// DNS over TCP (RFC 7766): two-byte length-prefixed messages, several queries per connection answered in
/// order, a connection closed after <see cref="DnsOptions.TcpIdleTimeout"/> without a complete query, and
/// a cap on concurrent connections. Replies are not size-limited, so answers truncated over UDP are whole here.
/// </summary>
internal sealed class TcpDnsServer : IAsyncDisposable
{
    private readonly DnsResponder _responder;
    private readonly Func<DnsOptions> _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly DnsWorker _worker;
    private Socket? _listener;
    private Task? _accepting;
    private int _connections;

    public TcpDnsServer(DnsResponder responder, Func<DnsOptions> options, ILogger logger)
    {
        _responder = responder;
        _options = options;
        _logger = logger;
        _worker = new DnsWorker(Counters);
    }

    public DnsCounters Counters { get; } = new(shared: true);

    public void Start(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
        {
            _listener.DualMode = true;
        }

        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.NoDelay = true;
        _listener.Bind(endPoint);
        _listener.Listen(512);
        _accepting = AcceptLoopAsync(_listener);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException ex)
            {
                DnsLog.TcpClosed(_logger, "listener", ex.Message);
                continue;
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            var limit = _options().MaxTcpConnections;
            if (Interlocked.Increment(ref _connections) > limit)
            {
                Interlocked.Decrement(ref _connections);
                DnsLog.TcpLimitReached(_logger, limit, connection.RemoteEndPoint?.ToString() ?? "?");
                connection.Dispose();
                continue;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        var remote = connection.RemoteEndPoint as IPEndPoint;
        var client = remote is null ? default : ClientAddress.From(remote.Address);
        var query = ArrayPool<byte>.Shared.Rent(DnsResponder.MaxMessage);
        var reply = ArrayPool<byte>.Shared.Rent(DnsResponder.MaxMessage + 2);
        var reason = "closed by client";
        try
        {
            connection.NoDelay = true;
            while (!_stop.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(_options().TcpIdleTimeout);
                if (!await ReadExactlyAsync(connection, query.AsMemory(0, 2), idle.Token))
                {
                    break;
                }

                int length = BinaryPrimitives.ReadUInt16BigEndian(query);
                if (length == 0 || !await ReadExactlyAsync(connection, query.AsMemory(0, length), idle.Token))
                {
                    reason = length == 0 ? "zero-length message" : "closed mid-message";
                    break;
                }

                var written = _responder.Respond(query.AsSpan(0, length), reply.AsSpan(2, DnsResponder.MaxMessage), client, DnsTransport.Tcp, _worker);
                if (written == 0)
                {
                    reason = "message not answerable";
                    break;
                }

                BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)written);
                await connection.SendAsync(reply.AsMemory(0, written + 2), SocketFlags.None, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            reason = _stop.IsCancellationRequested ? "server stopping" : "idle timeout";
        }
        catch (SocketException ex)
        {
            reason = ex.Message;
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or InvalidOperationException)
        {
            DnsLog.ResponderFailed(_logger, ex, -1);
            reason = "responder error";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(query);
            ArrayPool<byte>.Shared.Return(reply);
            Interlocked.Decrement(ref _connections);
            DnsLog.TcpClosed(_logger, remote?.ToString() ?? "?", reason);
            connection.Dispose();
        }
    }

    /// <summary>False when the peer closed before the first byte.</summary>
    private static async ValueTask<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Dispose();
        if (_accepting is not null)
        {
            await _accepting;
        }

        _stop.Dispose();
    }
}
