using Microsoft.Extensions.Logging;

namespace Cdn.Proxy;

/// <summary>Log events of the HTTP cache layer: event ids 3000–3999.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(3000, LogLevel.Warning, "Upstream {Server} failed for {Path}: {Reason}")]
    public static partial void UpstreamFailed(ILogger logger, string server, string path, string reason);

    [LoggerMessage(3001, LogLevel.Warning, "Fill of {Key} failed: {Reason}")]
    public static partial void FillFailed(ILogger logger, string key, string reason);

    [LoggerMessage(3002, LogLevel.Debug, "Not caching {Key}: {Reason}")]
    public static partial void NotCacheable(ILogger logger, string key, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Revalidation of {Key} failed: {Reason}")]
    public static partial void RevalidationFailed(ILogger logger, string key, string reason);

    [LoggerMessage(3004, LogLevel.Warning, "Fill of {Key} broke at byte {Offset} from {Failed} ({Reason}); resumed from {Server}")]
    public static partial void Resumed(ILogger logger, string key, long offset, string failed, string server, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "Fill of {Key} broke at byte {Offset} from {Failed} and cannot be resumed: {Reason}")]
    public static partial void ResumeFailed(ILogger logger, string key, long offset, string failed, string reason);

    [LoggerMessage(3010, LogLevel.Debug, "Connection {Connection} refused a request: {Status} {Reason}")]
    public static partial void RequestRefused(ILogger logger, string connection, int status, string reason);

    [LoggerMessage(3011, LogLevel.Warning, "Connection {Connection} aborted: {Reason}")]
    public static partial void ConnectionAborted(ILogger logger, string connection, string reason);

    [LoggerMessage(3012, LogLevel.Error, "Unexpected error serving {Path}")]
    public static partial void ServeFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(3013, LogLevel.Debug, "Connection {Connection}: TLS handshake failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, string connection, string reason);

    [LoggerMessage(3014, LogLevel.Debug, "Writing to a TLS connection failed: {Reason}")]
    public static partial void TlsWriteFailed(ILogger logger, string reason);

    [LoggerMessage(3020, LogLevel.Information, "{Method} {Target} {Status} {Cache} {Bytes} {Milliseconds:0.0}ms {Client}")]
    public static partial void Access(ILogger logger, string method, string target, int status, string cache, long bytes, double milliseconds, string client);
}
