using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Upstream;

/// <summary>Log events of active upstream health checks: event ids 3040–3049.</summary>
internal static partial class UpstreamHealthLog
{
    [LoggerMessage(3040, LogLevel.Warning, "Upstream {Server} is down: {Reason}")]
    public static partial void MarkedDown(ILogger logger, string server, string reason);

    [LoggerMessage(3041, LogLevel.Information, "Upstream {Server} passes its health checks again")]
    public static partial void MarkedUp(ILogger logger, string server);

    [LoggerMessage(3042, LogLevel.Debug, "Health probe of {Server} failed: {Reason}")]
    public static partial void ProbeFailed(ILogger logger, string server, string reason);

    [LoggerMessage(3043, LogLevel.Information, "Active health checks of {Count} upstream server(s): {Method} {Path} (or their own URL) every {Interval}")]
    public static partial void Started(ILogger logger, int count, string method, string path, TimeSpan interval);
}
