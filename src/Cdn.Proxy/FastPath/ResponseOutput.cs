using System.IO.Pipelines;
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

    /// <summary>Stops sending (FIN after what was sent) before the input is drained.</summary>
    public abstract void ShutdownSend();

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

    public override void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

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

/// <summary>TLS: the decrypted side of Kestrel's TLS layer; bodies are read into the pipe's memory, one record at a time.</summary>
internal sealed class PipeResponseOutput : ResponseOutput
{
    private const int RecordBytes = 16 * 1024;
    private const int FlushBytes = 64 * 1024;

    private readonly ConnectionContext _connection;
    private readonly PipeWriter _writer;

    public PipeResponseOutput(ConnectionContext connection, FastPathServices services)
        : base(services, connection.ConnectionId)
    {
        _connection = connection;
        _writer = connection.Transport.Output;
    }

    protected override async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
        => Check(await _writer.WriteAsync(bytes));

    protected override async ValueTask WriteFileAsync(BodyLease lease, long position, long count)
    {
        var unflushed = 0;
        while (count > 0)
        {
            var memory = _writer.GetMemory(RecordBytes);
            var want = (int)Math.Min(Math.Min(memory.Length, RecordBytes), count);
            var read = lease.Read(memory.Span[..want], position);
            if (read <= 0)
            {
                throw new IOException("body file ended early");
            }

            _writer.Advance(read);
            position += read;
            count -= read;
            unflushed += read;
            if (unflushed >= FlushBytes || count == 0)
            {
                unflushed = 0;
                Check(await _writer.FlushAsync());
            }
        }
    }

    private static void Check(FlushResult result)
    {
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new IOException("connection closed while sending");
        }
    }

    public override void ShutdownSend() => _writer.Complete();

    public override void Abort() => _connection.Abort();
}
