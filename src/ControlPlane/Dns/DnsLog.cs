using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Dns;

/// <summary>Log events of the DNS server: 7500–7999.</summary>
internal static partial class DnsLog
{
    [LoggerMessage(7500, LogLevel.Information, "DNS listening on {EndPoint} (UDP with {Threads} SO_REUSEPORT sockets, TCP), zones {Zones}")]
    public static partial void Listening(ILogger logger, string endPoint, int threads, string zones);

    [LoggerMessage(7501, LogLevel.Information, "DNS zones reloaded: {Zones}")]
    public static partial void ZonesReloaded(ILogger logger, string zones);

    [LoggerMessage(7502, LogLevel.Warning, "DNS listen address or UDP threads changed in configuration; restart the daemon to apply")]
    public static partial void ListenChangeNeedsRestart(ILogger logger);

    [LoggerMessage(7510, LogLevel.Error, "DNS responder failed on a {Length}-byte query; no reply sent")]
    public static partial void ResponderFailed(ILogger logger, Exception exception, int length);

    [LoggerMessage(7511, LogLevel.Warning, "DNS UDP socket error: {Error}")]
    public static partial void UdpSocketError(ILogger logger, string error);

    [LoggerMessage(7520, LogLevel.Warning, "DNS TCP connection limit {Limit} reached; closing a new connection from {Remote}")]
    public static partial void TcpLimitReached(ILogger logger, int limit, string remote);

    [LoggerMessage(7521, LogLevel.Debug, "DNS TCP connection from {Remote} closed: {Reason}")]
    public static partial void TcpClosed(ILogger logger, string remote, string reason);
}
