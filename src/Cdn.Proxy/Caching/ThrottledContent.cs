namespace Cdn.Proxy.Caching;

/// <summary>
/// An upstream body read through an <see cref="IFillThrottle"/>: every read waits for the bytes it returns,
/// until <see cref="Lift"/> (a player joined the fill) after which reads only charge the throttle.
/// </summary>
internal sealed class ThrottledContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly IFillThrottle _throttle;
    private readonly CancellationToken _cancellation;
    private volatile bool _lifted;
    private long _bytes;

    public ThrottledContent(HttpContent inner, IFillThrottle throttle, CancellationToken cancellation)
    {
        _inner = inner;
        _throttle = throttle;
        _cancellation = cancellation;
        foreach (var (name, values) in inner.Headers)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    /// <summary>Body bytes read so far.</summary>
    public long BytesRead => Interlocked.Read(ref _bytes);

    /// <summary>Stops waiting: a player streams from this fill and must not be held to the fill rate.</summary>
    public void Lift() => _lifted = true;

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        => new ThrottledStream(await _inner.ReadAsStreamAsync(cancellationToken), this);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await using var body = await CreateContentReadStreamAsync(CancellationToken.None);
        await body.CopyToAsync(stream);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask OnReadAsync(int read, CancellationToken cancellationToken)
    {
        if (read <= 0)
        {
            return;
        }

        Interlocked.Add(ref _bytes, read);
        if (_lifted)
        {
            _throttle.Charge(read);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellation);
        await _throttle.AcquireAsync(read, linked.Token);
    }

    private sealed class ThrottledStream(Stream inner, ThrottledContent owner) : Stream
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

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            await owner.OnReadAsync(read, cancellationToken);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

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
