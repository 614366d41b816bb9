using System.Net;
using Cdn.Proxy.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Upstream;

/// <summary>
/// Probes every server of the pool that has active checks (every origin; parents with a
/// <see cref="UpstreamServerOptions.HealthCheckUrl"/>) on its own schedule and feeds the results to
/// <see cref="UpstreamServer.RecordCheck"/>, where they combine with the passive health of live
/// requests. Probes use their own connections (not the pool live requests use), so a probe measures whether
/// a new connection can be made and answered, and a probe never waits behind fills for a connection slot.
/// </summary>
public sealed class ActiveHealthChecker : BackgroundService
{
    private readonly UpstreamServer[] _servers;
    private readonly ActiveHealthCheckOptions _options;
    private readonly ProxyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpMessageInvoker _http;

    /// <summary>Checks the servers of <paramref name="pool"/> that have active checks.</summary>
    public ActiveHealthChecker(UpstreamPool pool, UpstreamOptions upstreams, ProxyMetrics metrics, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(upstreams);
        _options = upstreams.EffectiveHealthCheck ?? throw new ArgumentException("no health checks configured", nameof(upstreams));
        _servers = pool.All.Where(s => s.ActiveChecks is not null).ToArray();
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectTimeout = upstreams.ConnectTimeout < _options.Timeout ? upstreams.ConnectTimeout : _options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        });
    }

    /// <summary>Probes <paramref name="server"/> once and records the result; returns whether it passed.</summary>
    public async Task<bool> ProbeAsync(UpstreamServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var (passed, reason) = await RunProbeAsync(server, cancellationToken);
        _metrics.HealthCheck(server.Name, passed);
        if (!passed)
        {
            UpstreamHealthLog.ProbeFailed(_logger, server.Name, reason!);
        }

        if (server.RecordCheck(passed))
        {
            if (passed)
            {
                UpstreamHealthLog.MarkedUp(_logger, server.Name);
            }
            else
            {
                UpstreamHealthLog.MarkedDown(_logger, server.Name, $"{_options.UnhealthyThreshold} health probe(s) in a row failed, last: {reason}");
            }
        }

        return passed;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_servers.Length == 0)
        {
            return;
        }

        UpstreamHealthLog.Started(_logger, _servers.Length, _options.Method, _options.Path, _options.Interval);
        // Spread the servers over the interval so probes do not go out in bursts.
        var step = _options.Interval / _servers.Length;
        await Task.WhenAll(_servers.Select((server, i) => LoopAsync(server, step * i, stoppingToken)));
    }

    private async Task LoopAsync(UpstreamServer server, TimeSpan offset, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(offset, _time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var started = _time.GetTimestamp();
                await ProbeAsync(server, stoppingToken);
                var wait = _options.Interval - _time.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<(bool Passed, string? Reason)> RunProbeAsync(UpstreamServer server, CancellationToken cancellationToken)
    {
        if (server.BaseUri.IsFile && server.Options.HealthCheckUrl is null)
        {
            // A local tree is healthy while its root is there (an unmounted volume or a removed tree is not).
            return LocalOrigin.Resolve(server.BaseUri.LocalPath) is { } root && Directory.Exists(root)
                ? (true, null)
                : (false, $"origin directory {server.BaseUri.LocalPath} is missing");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var url = server.Options.HealthCheckUrl is { } own ? new Uri(own) : new Uri(server.BaseUri, _options.Path);
        using var request = new HttpRequestMessage(new HttpMethod(_options.Method), url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (_options.Host is { } host && server.Options.HealthCheckUrl is null)
        {
            request.Headers.Host = host;
        }

        request.Headers.TryAddWithoutValidation("User-Agent", "cdn-health-check");
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return _options.Passes(status) ? (true, null) : (false, $"status {status}, expected {_options.ExpectedStatus}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer within {_options.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return (false, ex.Message);
        }
        catch (IOException ex)
        {
            return (false, ex.Message);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
