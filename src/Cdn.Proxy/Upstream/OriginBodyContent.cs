using System.Net;
using Cdn.Proxy.Diagnostics;

namespace Cdn.Proxy.Upstream;

/// <summary>
/// An origin response's body that counts bytes into <c>cdn_origin_body_bytes_total</c> as whoever consumes
/// it — a fill, a revalidation, a pass-through relay on either front end — reads them. Counting at the source
/// keeps the offload figures right without each consumer having to remember to count.
/// </summary>
internal sealed class OriginBodyContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly ProxyMetrics _metrics;
    private readonly string _origin;

    private OriginBodyContent(HttpContent inner, ProxyMetrics metrics, string origin)
    {
        _inner = inner;
        _metrics = metrics;
        _origin = origin;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Makes <paramref name="response"/>'s body count towards <paramref name="origin"/>.</summary>
    public static void Wrap(HttpResponseMessage response, ProxyMetrics metrics, string origin)
        => response.Content = new OriginBodyContent(response.Content, metrics, origin);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        => new CountingStream(await _inner.ReadAsStreamAsync(cancellationToken), this);

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
        return false; // Content-Length, when the origin sent one, was copied with the other headers
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Count(int bytes)
    {
        if (bytes > 0)
        {
            _metrics.OriginBytesReceived(_origin, bytes);
        }
    }

    private sealed class CountingStream(Stream inner, OriginBodyContent owner) : Stream
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
            owner.Count(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            owner.Count(read);
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
