using Cdn.Hosting.Configuration;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// Limits of the cleartext HTTP/1.1 zero-copy path. It bypasses Kestrel's HTTP layer, so it enforces these
/// itself; each default says why it was chosen.
/// </summary>
public sealed class FastPathOptions : IValidatableOptions
{
    /// <summary>Largest request head (request line + headers). 16 KiB: players send &lt;1 KiB; nginx's default buffers total 32 KiB.</summary>
    public int MaxRequestHeadBytes { get; set; } = 16 * 1024;

    /// <summary>Longest request target (414 beyond). 8 KiB, as nginx: signed URLs are long, not that long.</summary>
    public int MaxRequestTargetBytes { get; set; } = 8 * 1024;

    /// <summary>Most header fields (431 beyond). 100, as Kestrel.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>From a request's first byte to its last header (408 beyond). 30 s, as Kestrel: slowloris must not hold a connection.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle time between requests on a keep-alive connection. 75 s, nginx's default.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(75);

    /// <summary>Slowest acceptable reader, in bytes/s, after <see cref="SendGracePeriod"/>. A reader below it is cut off so it cannot pin a worker and a file.</summary>
    public int MinResponseBytesPerSecond { get; set; } = 1024;

    /// <summary>Time a response may take regardless of its size before the minimum rate applies.</summary>
    public TimeSpan SendGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest request body relayed upstream (uploads are not this product's job).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Bodies up to this size are read and sent in the same write as the headers (one syscall beats two for playlists).</summary>
    public int InlineBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Requests served on one connection before it is closed (rebalances long-lived connections).</summary>
    public int MaxRequestsPerConnection { get; set; } = 10_000;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.InRange(MaxRequestHeadBytes, 1024, 1 << 20, OptionsErrors.Path(path, nameof(MaxRequestHeadBytes)));
        errors.InRange(MaxRequestTargetBytes, 256, MaxRequestHeadBytes, OptionsErrors.Path(path, nameof(MaxRequestTargetBytes)));
        errors.InRange(MaxHeaderCount, 4, 10_000, OptionsErrors.Path(path, nameof(MaxHeaderCount)));
        errors.InRange(RequestHeadersTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(RequestHeadersTimeout)));
        errors.InRange(KeepAliveTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(KeepAliveTimeout)));
        errors.InRange(MinResponseBytesPerSecond, 0, int.MaxValue, OptionsErrors.Path(path, nameof(MinResponseBytesPerSecond)));
        // Kestrel (the HTTPS listener shares this setting) refuses a grace period of one second or less.
        errors.Require(SendGracePeriod > TimeSpan.FromSeconds(1) && SendGracePeriod <= TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(SendGracePeriod)),
            $"must be more than 1 second and at most 1 hour, got {SendGracePeriod}");
        errors.InRange(MaxRequestBodyBytes, 0, 1L << 34, OptionsErrors.Path(path, nameof(MaxRequestBodyBytes)));
        errors.InRange(InlineBodyBytes, 0, 1 << 20, OptionsErrors.Path(path, nameof(InlineBodyBytes)));
        errors.InRange(MaxRequestsPerConnection, 1, int.MaxValue, OptionsErrors.Path(path, nameof(MaxRequestsPerConnection)));
    }
}
