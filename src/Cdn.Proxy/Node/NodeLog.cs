using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Node;

/// <summary>Log events of the cache node's own wiring (3060–3069).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(3060, LogLevel.Information, "Upstreams reloaded: {Parents} parent(s), {Origins} origin(s); new fills use them")]
    public static partial void UpstreamsReloaded(ILogger logger, int parents, int origins);

    [LoggerMessage(3061, LogLevel.Debug, "Configuration reloaded; upstreams unchanged")]
    public static partial void UpstreamsUnchanged(ILogger logger);
}
