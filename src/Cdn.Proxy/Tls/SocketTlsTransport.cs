using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Cdn.Proxy.Tls;

/// <summary>
/// The stream under our <see cref="System.Net.Security.SslStream"/>: reads the bytes Kestrel's socket transport
/// received (its input pipe), writes TLS records straight to the socket. Kestrel's own TLS layer writes each
/// record into the transport's output pipe instead (a copy, and a hop to the transport's send thread per
/// record). Nothing else may write to the socket or to the transport's output pipe while this stream is in use.
/// </summary>
internal sealed class SocketTlsTransport : Stream
{
    private readonly PipeReader _input;
    private readonly Socket _socket;

    public SocketTlsTransport(PipeReader input, Socket socket)
    {
        _input = input;
        _socket = socket;
    }

    public Socket Socket => _socket;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken);
            var received = result.Buffer;
            if (!received.IsEmpty)
            {
                var count = (int)Math.Min(received.Length, buffer.Length);
                received.Slice(0, count).CopyTo(buffer.Span);
                _input.AdvanceTo(received.GetPosition(count));
                return count;
            }

            _input.AdvanceTo(received.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var sent = await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken);
            if (sent <= 0)
            {
                throw new IOException("connection closed while sending");
            }

            buffer = buffer[sent..];
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
