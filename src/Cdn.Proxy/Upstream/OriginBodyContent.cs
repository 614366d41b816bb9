using Cdn.Proxy.Diagnostics;

namespace Cdn.Proxy.Upstream;

/// <summary>
/// An origin response's body that counts bytes into <c>cdn_origin_body_bytes_total</c> as whoever consumes
/// it — a fill, a revalidation, a pass-through relay on either front end — reads them. Counting at the source
/// keeps the offload figures right without each consumer having to remember to count.
/// </summary>
internal sealed class OriginBodyContent : ObservedContent
{
    private readonly ProxyMetrics _metrics;
    private readonly string _origin;

    private OriginBodyContent(HttpContent inner, ProxyMetrics metrics, string origin)
        : base(inner)
    {
        _metrics = metrics;
        _origin = origin;
    }

    /// <summary>Makes <paramref name="response"/>'s body count towards <paramref name="origin"/>.</summary>
    public static void Wrap(HttpResponseMessage response, ProxyMetrics metrics, string origin)
        => response.Content = new OriginBodyContent(response.Content, metrics, origin);

    protected override ValueTask OnReadAsync(int read, CancellationToken cancellationToken)
    {
        if (read > 0)
        {
            _metrics.OriginBytesReceived(_origin, read);
        }

        return ValueTask.CompletedTask;
    }
}
