using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Health;
using Cdn.ControlPlane.Steering;
using Cdn.ControlPlane.Storage;
using Cdn.Data;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Registry;

/// <summary>
/// Loads state before the DNS server starts (schema, sites, nodes, coverage zones, first view), then ticks:
/// every <see cref="HealthOptions.EvaluateInterval"/> node states are re-evaluated against the clock (a node
/// that stops heartbeating goes down without any request), and every
/// <see cref="HealthOptions.RefreshInterval"/> the shared store is re-read so writes by other replicas show
/// here. A store outage keeps the last known state serving.
/// </summary>
internal sealed class StateRefreshService : IHostedService, IAsyncDisposable
{
    private readonly IRegistryStore _store;
    private readonly StateDatabase _database;
    private readonly NodeRegistry _nodes;
    private readonly SiteCatalog _sites;
    private readonly ActiveCoverageZones _zones;
    private readonly SteeringPublisher _publisher;
    private readonly LiveOptions<HealthOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StateRefreshService> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _lastRefresh;
    private int _disposed;

    public StateRefreshService(IRegistryStore store, StateDatabase database, NodeRegistry nodes, SiteCatalog sites, ActiveCoverageZones zones, SteeringPublisher publisher, LiveOptions<HealthOptions> options, TimeProvider time, ILogger<StateRefreshService> logger)
    {
        _store = store;
        _database = database;
        _nodes = nodes;
        _sites = sites;
        _zones = zones;
        _publisher = publisher;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>When the store was last read successfully (readiness).</summary>
    public DateTimeOffset? LastRefresh { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken);
        ControlPlaneLog.StoreReady(_logger, _database.Provider);
        await _sites.RefreshAsync(cancellationToken);
        await _nodes.RefreshAsync(cancellationToken);
        await _zones.StartAsync(cancellationToken);
        _publisher.Rebuild();
        LastRefresh = _time.GetUtcNow();
        _lastRefresh = _time.GetTimestamp();
        _loop = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Current.EvaluateInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await TickAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One tick: refresh when due, then evaluate.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_time.GetElapsedTime(_lastRefresh) >= _options.Current.RefreshInterval)
        {
            _lastRefresh = _time.GetTimestamp();
            try
            {
                await _sites.RefreshAsync(cancellationToken);
                await _zones.RefreshAsync(cancellationToken);
                await _nodes.RefreshAsync(cancellationToken);
                LastRefresh = _time.GetUtcNow();
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException)
            {
                ControlPlaneLog.RefreshFailed(_logger, ex);
            }
        }

        _nodes.Evaluate();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this once as a singleton and once as the hosted service it also is.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _stop.Dispose();
    }
}
