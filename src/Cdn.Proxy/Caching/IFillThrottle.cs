namespace Cdn.Proxy.Caching;

/// <summary>Paces a prefetch's body bytes (a fill agent's rate cap). Implementations are thread-safe.</summary>
public interface IFillThrottle
{
    /// <summary>Takes <paramref name="bytes"/> just read, waiting as long as the cap requires.</summary>
    ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken);

    /// <summary>Counts <paramref name="bytes"/> without waiting (a player is waiting on this object): later prefetches pay for them.</summary>
    void Charge(int bytes);
}
