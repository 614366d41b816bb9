using Cdn.ControlPlane.Catalog;
using Cdn.ControlPlane.Popularity;
using Cdn.ControlPlane.Registry;
using Cdn.ControlPlane.Storage;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Fill;

/// <summary>
/// Prepares the catalog, popularity and fill stores before the API answers, then ticks: flushes popularity
/// gathered from heartbeats, re-reads the active plan versions (other replicas' pushes) and the catalog,
/// prunes old demand windows, and — with <see cref="FillOptions.AutoPlan"/> — plans and pushes each site once
/// a day shortly before its fill window opens.
/// </summary>
internal sealed class FillBackgroundService : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly ICatalogStore _catalogStore;
    private readonly IPopularityStore _popularityStore;
    private readonly IFillStore _fillStore;
    private readonly TitleCatalog _catalog;
    private readonly PopularityAggregator _popularity;
    private readonly FillPlanService _plans;
    private readonly SiteCatalog _sites;
    private readonly LiveOptions<FillOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FillBackgroundService> _logger;
    private readonly Dictionary<string, DateTimeOffset> _autoPlanned = new(StringComparer.Ordinal);

    public FillBackgroundService(ICatalogStore catalogStore, IPopularityStore popularityStore, IFillStore fillStore, TitleCatalog catalog, PopularityAggregator popularity,
        FillPlanService plans, SiteCatalog sites, LiveOptions<FillOptions> options, TimeProvider time, ILogger<FillBackgroundService> logger)
    {
        _catalogStore = catalogStore;
        _popularityStore = popularityStore;
        _fillStore = fillStore;
        _catalog = catalog;
        _popularity = popularity;
        _plans = plans;
        _sites = sites;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _catalogStore.InitializeAsync(cancellationToken);
        await _popularityStore.InitializeAsync(cancellationToken);
        await _fillStore.InitializeAsync(cancellationToken);
        await _catalog.RefreshAsync(cancellationToken);
        await _plans.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var lastFlush = _time.GetTimestamp();
        var lastCatalog = _time.GetTimestamp();
        var lastPrune = _time.GetTimestamp();
        using var timer = new PeriodicTimer(Tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await _plans.RefreshAsync(cancellationToken);
                    if (_time.GetElapsedTime(lastFlush) >= _popularity.Options.FlushInterval)
                    {
                        lastFlush = _time.GetTimestamp();
                        await _popularity.FlushAsync(cancellationToken);
                    }

                    if (_time.GetElapsedTime(lastCatalog) >= TimeSpan.FromSeconds(30))
                    {
                        lastCatalog = _time.GetTimestamp();
                        await _catalog.RefreshAsync(cancellationToken);
                    }

                    if (_time.GetElapsedTime(lastPrune) >= TimeSpan.FromHours(1))
                    {
                        lastPrune = _time.GetTimestamp();
                        await _popularity.PruneAsync(cancellationToken);
                    }

                    if (_options.Current.AutoPlan)
                    {
                        await AutoPlanAsync(cancellationToken);
                    }
                }
#pragma warning disable CA1031 // Maintenance must outlive one bad tick (store down, a damaged row); it is logged and retried.
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    ControlPlaneLog.FillMaintenanceFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Plans and pushes each site once, in the lead time before its window opens (site local time).</summary>
    private async Task AutoPlanAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lead = _options.Current.AutoPlanLeadTime;
        foreach (var site in _sites.Sites)
        {
            var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(site.FillWindow.TimeZone)).DateTime);
            var untilOpen = site.FillWindow.Start - local;
            if (untilOpen > lead || (_autoPlanned.TryGetValue(site.Name, out var last) && now - last < TimeSpan.FromHours(20)))
            {
                continue;
            }

            _autoPlanned[site.Name] = now;
            var result = await _plans.ComputeAsync(site.Name, push: true, cancellationToken);
            if (result.Kind != FillResultKind.Ok)
            {
                ControlPlaneLog.AutoPlanFailed(_logger, site.Name, string.Join("; ", result.Problems));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await _popularity.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            ControlPlaneLog.FillMaintenanceFailed(_logger, ex);
        }
    }
}
