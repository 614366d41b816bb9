using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <summary>
/// An upstream body read through an <see cref="IFillThrottle"/>: every read waits for the bytes it returns,
/// until <see cref="Lift"/> (a player joined the fill) after which reads only charge the throttle.
/// </summary>
internal sealed class ThrottledContent : ObservedContent
{
    private readonly IFillThrottle _throttle;
    private readonly CancellationToken _cancellation;
    private volatile bool _lifted;
    private long _bytes;

    public ThrottledContent(HttpContent inner, IFillThrottle throttle, CancellationToken cancellation)
        : base(inner)
    {
        _throttle = throttle;
        _cancellation = cancellation;
    }

    /// <summary>Body bytes read so far.</summary>
    public long BytesRead => Interlocked.Read(ref _bytes);

    /// <summary>Stops waiting: a player streams from this fill and must not be held to the fill rate.</summary>
    public void Lift() => _lifted = true;

    protected override async ValueTask OnReadAsync(int read, CancellationToken cancellationToken)
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
}
