using Cdn.Proxy.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Serving;

/// <summary>
/// The structured access log: one event per request on the <c>Cdn.Access</c> logger category (so operators
/// route or silence it in Logging:LogLevel), with method, target, status, cache result, body bytes,
/// duration and client. Off when that category is disabled; checked once per request.
/// </summary>
public sealed class AccessLog
{
    private readonly ILogger _logger;

    /// <summary>Logs through <paramref name="loggers"/>' <c>Cdn.Access</c> category.</summary>
    public AccessLog(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _logger = loggers.CreateLogger("Cdn.Access");
    }

    /// <summary>Records one request.</summary>
    public void Write(string method, string target, int status, CacheResult result, long bytes, TimeSpan elapsed, string? client)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            ProxyLog.Access(_logger, method, target, status, result.ToString().ToUpperInvariant(), bytes, elapsed.TotalMilliseconds, client ?? "-");
        }
    }
}
