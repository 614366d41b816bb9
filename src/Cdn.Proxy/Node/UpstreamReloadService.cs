using Cdn.Hosting.Configuration;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Node;

/// <summary>
/// Follows a cache node's <c>Upstreams</c> section through configuration reloads (SIGHUP, an edit of the file):
/// a valid new section becomes a new <see cref="UpstreamPool"/> and <see cref="UpstreamClient"/> that
/// <see cref="HttpCache"/> switches to in one step; an invalid one is logged with every error and the upstreams
/// in force stay (<see cref="LiveOptions{T}"/>). Fills already under way finish on the servers and connections
/// they started with. A reload that leaves the section as it was changes nothing, so the servers keep their
/// passive health; a changed section starts every server healthy. <c>IdleTimeout</c> is read once, at start.
/// </summary>
internal sealed class UpstreamReloadService : IHostedService, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly string _path;
    private readonly HttpCache _cache;
    private readonly string _nodeName;
    private readonly ProxyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private LiveOptions<UpstreamOptions>? _live;
    private string _applied = "";
    private UpstreamClient? _installed;

    public UpstreamReloadService(IConfiguration configuration, string path, HttpCache cache, string nodeName, ProxyMetrics metrics,
        TimeProvider time, ILoggerFactory loggers)
    {
        _configuration = configuration;
        _path = path;
        _cache = cache;
        _nodeName = nodeName;
        _metrics = metrics;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Cdn.Proxy.Node");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _applied = Fingerprint();
        }

        _live = new LiveOptions<UpstreamOptions>(_configuration, _path, _loggers.CreateLogger<LiveOptions<UpstreamOptions>>());
        _live.Changed += Apply;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_live is not null)
        {
            _live.Changed -= Apply;
        }

        return Task.CompletedTask;
    }

    private void Apply(UpstreamOptions next)
    {
        UpstreamClient retired;
        lock (_gate)
        {
            var fingerprint = Fingerprint();
            if (fingerprint == _applied)
            {
                NodeLog.UpstreamsUnchanged(_logger);
                return;
            }

            var client = new UpstreamClient(new UpstreamPool(next, _time), next, _nodeName, _metrics, _time, _loggers.CreateLogger("Cdn.Proxy.Upstream"));
            retired = _cache.ReplaceUpstream(client);
            _installed = client;
            _applied = fingerprint;
        }

        NodeLog.UpstreamsReloaded(_logger, next.Parents.Count, next.Origins.Count);
        // Disposing the handler closes its idle connections; connections serving a request stay until the
        // request ends (UpstreamReloadTests proves a fill under way completes).
        retired.Dispose();
    }

    /// <summary>The section as text, to tell a reload that changed the upstreams from one that did not.</summary>
    private string Fingerprint()
        => string.Join('\n', _configuration.GetSection(_path).AsEnumerable().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    public void Dispose()
    {
        _live?.Dispose();
        _installed?.Dispose();
    }
}
