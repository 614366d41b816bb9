using System.Net;

namespace Cdn.Proxy.Upstream;

/// <summary>
/// An upstream body wrapped so that something happens on every read, whoever reads it (a fill, a
/// revalidation, a relay): the headers are the inner content's, the bytes pass through unchanged, and
/// <see cref="OnReadAsync"/> sees each read's count (and may wait, e.g. to pace a fill).
/// </summary>
internal abstract class ObservedContent : HttpContent
{
    private readonly HttpContent _inner;

    protected ObservedContent(HttpContent inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        foreach (var (name, values) in inner.Headers)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    /// <summary>Called after every read of the body with the bytes it returned (0 at the end).</summary>
    protected abstract ValueTask OnReadAsync(int read, CancellationToken cancellationToken);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        => new ObservedStream(await _inner.ReadAsStreamAsync(cancellationToken), this);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await CreateContentReadStreamAsync(cancellationToken);
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false; // Content-Length, when the upstream sent one, was copied with the other headers
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class ObservedStream(Stream inner, ObservedContent owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            var observed = owner.OnReadAsync(read, CancellationToken.None);
            if (!observed.IsCompletedSuccessfully)
            {
                observed.AsTask().GetAwaiter().GetResult();
            }

            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            await owner.OnReadAsync(read, cancellationToken);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
