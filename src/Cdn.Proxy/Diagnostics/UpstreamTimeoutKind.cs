using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Diagnostics;

/// <summary>Which upstream timeout fired (the <c>kind</c> label of <c>cdn_upstream_timeouts_total</c>).</summary>
public enum UpstreamTimeoutKind
{
    /// <summary>No TCP (or TLS) connection within <see cref="UpstreamOptions.ConnectTimeout"/>.</summary>
    Connect,

    /// <summary>Connected, but no response headers within <see cref="UpstreamOptions.FirstByteTimeout"/>.</summary>
    FirstByte,

    /// <summary>The body stalled longer than <see cref="UpstreamOptions.IdleTimeout"/>.</summary>
    Idle,
}
