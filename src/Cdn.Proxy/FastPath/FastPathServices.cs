using Cdn.Proxy.Caching;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Keys;
using Cdn.Proxy.Serving;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.FastPath;

/// <summary>What every fast-path connection shares.</summary>
public sealed class FastPathServices
{
    /// <summary>Bundles the services.</summary>
    public FastPathServices(HttpCache cache, RequestTargetParser targetParser, ResponseHeaders headers, AccessLog access, FastPathOptions options, TimeProvider time, ILogger logger)
    {
        Cache = cache;
        TargetParser = targetParser;
        Headers = headers;
        Access = access;
        Options = options;
        Time = time;
        Logger = logger;
    }

    /// <summary>The cache.</summary>
    public HttpCache Cache { get; }

    /// <summary>Target normalization.</summary>
    public RequestTargetParser TargetParser { get; }

    internal TargetCache Targets { get; } = new();

    /// <summary>Header rendering.</summary>
    public ResponseHeaders Headers { get; }

    /// <summary>Access log.</summary>
    public AccessLog Access { get; }

    /// <summary>Limits.</summary>
    public FastPathOptions Options { get; }

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Metrics.</summary>
    public ProxyMetrics Metrics => Cache.Metrics;
}
