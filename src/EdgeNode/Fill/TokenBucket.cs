using Cdn.Proxy.Caching;

namespace EdgeNode.Fill;

/// <summary>
/// The fill rate cap: a token bucket refilled at <see cref="RateBytesPerSecond"/> up to a depth of
/// <see cref="BurstBytes"/>. A read takes its bytes first and then waits out any debt, so chunks of any size
/// keep the long-run rate at the cap; <see cref="Charge"/> adds debt without waiting (bytes a player pulled
/// through an unthrottled fill are paid for by later fills). Time comes from a <see cref="TimeProvider"/>.
/// </summary>
internal sealed class TokenBucket : IFillThrottle
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;

    /// <summary>A bucket at <paramref name="rateBytesPerSecond"/> (0: unlimited), starting full.</summary>
    public TokenBucket(long rateBytesPerSecond, long burstBytes, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rateBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burstBytes, 1);
        _time = time;
        RateBytesPerSecond = rateBytesPerSecond;
        BurstBytes = burstBytes;
        _tokens = burstBytes;
        _last = time.GetTimestamp();
    }

    public long RateBytesPerSecond { get; private set; }

    public long BurstBytes { get; }

    /// <summary>Changes the rate (a new plan's cap); the balance carries over.</summary>
    public void SetRate(long rateBytesPerSecond)
    {
        lock (_lock)
        {
            Refill();
            RateBytesPerSecond = Math.Max(0, rateBytesPerSecond);
        }
    }

    public async ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken)
    {
        var wait = Take(bytes);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    public void Charge(int bytes) => Take(bytes);

    /// <summary>Takes <paramref name="bytes"/> and returns how long the caller must wait to pay off the debt.</summary>
    internal TimeSpan Take(int bytes)
    {
        lock (_lock)
        {
            if (RateBytesPerSecond == 0)
            {
                return TimeSpan.Zero;
            }

            Refill();
            _tokens -= bytes;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / RateBytesPerSecond);
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(BurstBytes, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * RateBytesPerSecond));
        _last = now;
    }
}
