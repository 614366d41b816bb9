using System.Buffers;
using System.IO.Pipelines;

namespace Cdn.Proxy.FastPath;

/// <summary>Exactly Content-Length bytes of a request body read from the connection's input (pass-through uploads).</summary>
internal sealed class RequestBodyStream : Stream
{
    private readonly PipeReader _input;
    private long _remaining;

    public RequestBodyStream(PipeReader input, long length)
    {
        _input = input;
        _remaining = length;
    }

    public long Remaining => _remaining;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var result = await _input.ReadAsync(cancellationToken);
        var available = result.Buffer;
        if (available.IsEmpty && result.IsCompleted)
        {
            throw new IOException($"client closed with {_remaining} body bytes unsent");
        }

        var take = (int)Math.Min(Math.Min(buffer.Length, available.Length), _remaining);
        available.Slice(0, take).CopyTo(buffer.Span);
        _input.AdvanceTo(available.GetPosition(take));
        _remaining -= take;
        return take;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <summary>Reads and discards what the upstream did not consume, so the next request starts at the right byte.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = new byte[8192];
        while (_remaining > 0 && await ReadAsync(scratch, cancellationToken) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
