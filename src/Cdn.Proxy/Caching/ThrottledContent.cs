using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <summary>Whether a paced fill still waits for its throttle: lifted once a player joins the fill.</summary>
internal sealed class FillPace
{
    private volatile bool _lifted;

    public bool Lifted => _lifted;

    /// <summary>Stops waiting: a player streams from this fill and must not be held to the fill rate.</summary>
    public void Lift() => _lifted = true;
}

/// <summary>
/// An upstream body read through an <see cref="IFillThrottle"/>: every read waits for the bytes it returns,
/// until its <see cref="FillPace"/> is lifted (a player joined the fill), after which reads only charge the throttle.
/// </summary>
internal sealed class ThrottledContent : ObservedContent
{
    private readonly IFillThrottle _throttle;
    private readonly FillPace _pace;
    private readonly CancellationToken _cancellation;
    private long _bytes;

    public ThrottledContent(HttpContent inner, IFillThrottle throttle, FillPace pace, CancellationToken cancellation)
        : base(inner)
    {
        _throttle = throttle;
        _pace = pace;
        _cancellation = cancellation;
    }

    /// <summary>Body bytes read so far.</summary>
    public long BytesRead => Interlocked.Read(ref _bytes);

    protected override async ValueTask OnReadAsync(int read, CancellationToken cancellationToken)
    {
        if (read <= 0)
        {
            return;
        }

        Interlocked.Add(ref _bytes, read);
        if (_pace.Lifted)
        {
            _throttle.Charge(read);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellation);
        await _throttle.AcquireAsync(read, linked.Token);
    }
}
