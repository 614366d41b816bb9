using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using Cdn.Caching.Storage;
using Microsoft.AspNetCore.Connections;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// Where a fast-path connection's bytes go. Cleartext: straight to the socket, bodies with sendfile(2).
/// TLS: into the TLS layer's pipe (Kestrel encrypts with SslStream; without kTLS the bytes must pass through
/// user space anyway), bodies read from the file into the pipe's memory. Each send is bounded by the
/// minimum-rate deadline: a reader slower than that is cut off.
/// </summary>
internal abstract class ResponseOutput
{
    private readonly FastPathServices _services;
    private readonly string _connectionId;

    protected ResponseOutput(FastPathServices services, string connectionId)
    {
        _services = services;
        _connectionId = connectionId;
    }

    /// <summary>Sends bytes (headers, small bodies, chunk framing).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var deadline = SendDeadline(bytes.Length);
        await WriteAsync(bytes);
    }

    /// <summary>Sends <paramref name="count"/> body bytes of <paramref name="lease"/> from <paramref name="position"/>.</summary>
    public async ValueTask SendFileAsync(BodyLease lease, long position, long count)
    {
        using var deadline = SendDeadline(count);
        await WriteFileAsync(lease, position, count);
    }

    protected abstract ValueTask WriteAsync(ReadOnlyMemory<byte> bytes);

    protected abstract ValueTask WriteFileAsync(BodyLease lease, long position, long count);

    /// <summary>Sends a response head followed by file bytes (an output may coalesce them).</summary>
    public async ValueTask SendHeadAndFileAsync(ReadOnlyMemory<byte> head, BodyLease lease, long position, long count)
    {
        using var deadline = SendDeadline(head.Length + count);
        await WriteHeadAndFileAsync(head, lease, position, count);
    }

    /// <summary>Writes a head, then file bytes; by default as two writes.</summary>
    protected virtual async ValueTask WriteHeadAndFileAsync(ReadOnlyMemory<byte> head, BodyLease lease, long position, long count)
    {
        await WriteAsync(head);
        await WriteFileAsync(lease, position, count);
    }

    /// <summary>Stops sending (FIN after what was sent) before the input is drained.</summary>
    public abstract ValueTask ShutdownSendAsync();

    /// <summary>Kills the connection at once.</summary>
    public abstract void Abort();

    /// <summary>A timer that aborts the connection if sending <paramref name="length"/> bytes takes longer than the minimum rate allows.</summary>
    private ITimer? SendDeadline(long length)
    {
        var options = _services.Options;
        if (options.MinResponseBytesPerSecond <= 0)
        {
            return null;
        }

        var seconds = options.SendGracePeriod.TotalSeconds + (Math.Max(length, 0) / (double)options.MinResponseBytesPerSecond);
        return _services.Time.CreateTimer(static state => ((ResponseOutput)state!).SlowReader(), this, TimeSpan.FromSeconds(Math.Min(seconds, 86_400)), Timeout.InfiniteTimeSpan);
    }

    private void SlowReader()
    {
        ProxyLog.ConnectionAborted(_services.Logger, _connectionId, "client reads slower than the minimum response rate");
        _services.Metrics.Rejected("slow_reader");
        Abort();
    }
}

/// <summary>Cleartext: the connection's socket, owned for output; bodies with sendfile.</summary>
internal sealed class SocketResponseOutput : ResponseOutput
{
    private readonly Socket _socket;
    private readonly Action _onSendfile;

    public SocketResponseOutput(Socket socket, FastPathServices services, string connectionId)
        : base(services, connectionId)
    {
        _socket = socket;
        _onSendfile = services.Metrics.Sendfile;
    }

    protected override async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None);
            if (sent <= 0)
            {
                throw new IOException("connection closed while sending");
            }

            bytes = bytes[sent..];
        }
    }

    protected override ValueTask WriteFileAsync(BodyLease lease, long position, long count)
        => Sendfile.SendAsync(_socket, lease.Handle, lease.Offset + position, count, _onSendfile);

    public override ValueTask ShutdownSendAsync()
    {
        _socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    public override void Abort()
    {
        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

/// <summary>
/// TLS: the connection's <see cref="SslStream"/>, written directly (not through Kestrel's TLS output pipe, whose
/// copy loop hands the stream one pipe segment at a time). Bodies are read from the file into a pooled buffer
/// of several TLS records and written in one call: SslStream cuts it into 16 KiB records itself. The
/// response head goes into the same buffer as the first body bytes, so it does not cost a record of its own.
/// </summary>
internal sealed class TlsResponseOutput : ResponseOutput
{
    /// <summary>Four full TLS records per write (LoadBench https hot/zipf: fewer, larger writes cost less CPU per byte).</summary>
    private const int ChunkBytes = 64 * 1024;

    private readonly ConnectionContext _connection;
    private readonly SslStream _stream;
    private readonly Socket? _socket;

    /// <param name="connection">The connection.</param>
    /// <param name="stream">Its TLS stream.</param>
    /// <param name="socket">The socket under <paramref name="stream"/> when the stream writes to it directly (then a graceful close ends with FIN); null behind Kestrel's TLS layer.</param>
    /// <param name="services">The fast path's services.</param>
    public TlsResponseOutput(ConnectionContext connection, SslStream stream, Socket? socket, FastPathServices services)
        : base(services, connection.ConnectionId)
    {
        _connection = connection;
        _stream = stream;
        _socket = socket;
    }

    protected override ValueTask WriteAsync(ReadOnlyMemory<byte> bytes) => _stream.WriteAsync(bytes);

    protected override ValueTask WriteFileAsync(BodyLease lease, long position, long count)
        => WriteHeadAndFileAsync(ReadOnlyMemory<byte>.Empty, lease, position, count);

    protected override async ValueTask WriteHeadAndFileAsync(ReadOnlyMemory<byte> head, BodyLease lease, long position, long count)
    {
        if (head.Length > ChunkBytes / 2)
        {
            await _stream.WriteAsync(head);
            head = ReadOnlyMemory<byte>.Empty;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var filled = head.Length;
            head.Span.CopyTo(buffer);
            while (count > 0)
            {
                var want = (int)Math.Min(buffer.Length - filled, count);
                var read = lease.Read(buffer.AsSpan(filled, want), position);
                if (read <= 0)
                {
                    throw new IOException("body file ended early");
                }

                position += read;
                count -= read;
                await _stream.WriteAsync(buffer.AsMemory(0, filled + read));
                filled = 0;
            }

            if (filled > 0)
            {
                await _stream.WriteAsync(buffer.AsMemory(0, filled)); // an empty body: the head alone
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Ends the TLS session (close_notify) after what was sent, then the TCP stream (FIN) when we own the socket's output.</summary>
    public override async ValueTask ShutdownSendAsync()
    {
        try
        {
            await _stream.ShutdownAsync();
            _socket?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or IOException or NotSupportedException or SocketException)
        {
            // Already closing or closed.
        }
    }

    public override void Abort() => _connection.Abort();
}
