using System.Globalization;
using Cdn.Contracts;
using Cdn.Contracts.Catalog;
using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Purge;

namespace Cdn.NodeAgent;

/// <content>Catalog, fill plans and progress, pins, purges and fleet statistics (the packager, edges and edgectl).</content>
public sealed partial class ControlPlaneClient
{
    /// <summary>Tells the control plane a title is published (the packager, after its atomic publish).</summary>
    public Task<TitleSummary> PublishTitleAsync(TitlePublished title, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, ControlPlaneRoutes.Titles, title, CdnJson.Default.TitlePublished, CdnJson.Default.TitleSummary, cancellationToken);

    /// <summary>The catalog, one summary per title.</summary>
    public Task<IReadOnlyList<TitleSummary>> ListTitlesAsync(CancellationToken cancellationToken = default)
        => GetAsync(ControlPlaneRoutes.Titles, CdnJson.Default.IReadOnlyListTitleSummary, cancellationToken);

    /// <summary>One title with every object.</summary>
    public Task<TitlePublished> GetTitleAsync(string titleId, CancellationToken cancellationToken = default)
        => GetAsync(Path(ControlPlaneRoutes.TitleById, titleId), CdnJson.Default.TitlePublished, cancellationToken);

    /// <summary>Withdraws a title: the next plans release it.</summary>
    public Task DeleteTitleAsync(string titleId, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Delete, Path(ControlPlaneRoutes.TitleById, titleId), cancellationToken);

    /// <summary>Computes a site's next plan (a draft unless <see cref="FillPlanRequest.Push"/>).</summary>
    public Task<FillPlanSummary> ComputeFillPlanAsync(FillPlanRequest request, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, ControlPlaneRoutes.FillPlans, request, CdnJson.Default.FillPlanRequest, CdnJson.Default.FillPlanSummary, cancellationToken);

    /// <summary>Plan versions, newest first (one site, or every site).</summary>
    public Task<IReadOnlyList<FillPlanSummary>> ListFillPlansAsync(string? site = null, CancellationToken cancellationToken = default)
        => GetAsync(ControlPlaneRoutes.FillPlans + Query("site", site), CdnJson.Default.IReadOnlyListFillPlanSummary, cancellationToken);

    /// <summary>A site's active plan, or one version of it.</summary>
    public Task<FillPlan> GetFillPlanAsync(string site, long? version = null, CancellationToken cancellationToken = default)
        => GetAsync(version is { } v ? PlanPath(ControlPlaneRoutes.FillPlanVersion, site, v) : SitePath(ControlPlaneRoutes.FillPlanBySite, site),
            CdnJson.Default.FillPlan, cancellationToken);

    /// <summary>The summary of one plan version.</summary>
    public Task<FillPlanSummary> GetFillPlanSummaryAsync(string site, long version, CancellationToken cancellationToken = default)
        => GetAsync(PlanPath(ControlPlaneRoutes.FillPlanVersion, site, version) + "?summary=true", CdnJson.Default.FillPlanSummary, cancellationToken);

    /// <summary>Makes a version the site's active plan.</summary>
    public Task<FillPlanSummary> PushFillPlanAsync(string site, long version, CancellationToken cancellationToken = default)
        => SendAsync<object, FillPlanSummary>(HttpMethod.Post, PlanPath(ControlPlaneRoutes.FillPlanPush, site, version), null, null, CdnJson.Default.FillPlanSummary, cancellationToken);

    /// <summary>One edge's part of its site's active plan, with its peers.</summary>
    public Task<FillPlan> GetNodeFillPlanAsync(string site, string nodeId, CancellationToken cancellationToken = default)
        => GetAsync(Path(SitePath(ControlPlaneRoutes.FillPlanForNode, site), nodeId), CdnJson.Default.FillPlan, cancellationToken);

    /// <summary>An edge reporting its fill progress.</summary>
    public Task<FillProgress> ReportFillProgressAsync(FillProgress progress, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, ControlPlaneRoutes.FillProgress, progress, CdnJson.Default.FillProgress, CdnJson.Default.FillProgress, cancellationToken);

    /// <summary>The latest progress report of every edge (of one site, or all).</summary>
    public Task<IReadOnlyList<FillProgress>> ListFillProgressAsync(string? site = null, CancellationToken cancellationToken = default)
        => GetAsync(ControlPlaneRoutes.FillProgress + Query("site", site), CdnJson.Default.IReadOnlyListFillProgress, cancellationToken);

    /// <summary>Operator pins.</summary>
    public Task<IReadOnlyList<FillPin>> ListPinsAsync(CancellationToken cancellationToken = default)
        => GetAsync(ControlPlaneRoutes.FillPins, CdnJson.Default.IReadOnlyListFillPin, cancellationToken);

    /// <summary>Adds a pin.</summary>
    public Task<FillPin> AddPinAsync(FillPinRequest pin, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, ControlPlaneRoutes.FillPins, pin, CdnJson.Default.FillPinRequest, CdnJson.Default.FillPin, cancellationToken);

    /// <summary>Removes a pin.</summary>
    public Task DeletePinAsync(string pinId, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Delete, Path(ControlPlaneRoutes.FillPinById, pinId), cancellationToken);

    /// <summary>Starts a purge on every edge and shield.</summary>
    public Task<PurgeStatus> PurgeAsync(PurgeRequest purge, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, ControlPlaneRoutes.Purges, purge, CdnJson.Default.PurgeRequest, CdnJson.Default.PurgeStatus, cancellationToken);

    /// <summary>One purge's progress per node.</summary>
    public Task<PurgeStatus> GetPurgeAsync(string purgeId, CancellationToken cancellationToken = default)
        => GetAsync(Path(ControlPlaneRoutes.PurgeById, purgeId), CdnJson.Default.PurgeStatus, cancellationToken);

    /// <summary>Recent purges, newest first.</summary>
    public Task<IReadOnlyList<PurgeStatus>> ListPurgesAsync(CancellationToken cancellationToken = default)
        => GetAsync(ControlPlaneRoutes.Purges, CdnJson.Default.IReadOnlyListPurgeStatus, cancellationToken);

    /// <summary>The fleet at a glance: per-site load and hit ratios, top titles and objects.</summary>
    public Task<FleetStats> GetStatsAsync(string? site = null, int top = 10, double hours = 24, CancellationToken cancellationToken = default)
        => GetAsync(
            string.Create(CultureInfo.InvariantCulture, $"{ControlPlaneRoutes.Stats}?top={top}&hours={hours}") + (site is null ? "" : "&site=" + Uri.EscapeDataString(site)),
            CdnJson.Default.FleetStats,
            cancellationToken);

    private static string Query(string name, string? value) => value is null ? "" : $"?{name}={Uri.EscapeDataString(value)}";

    private static string SitePath(string template, string site) => template.Replace("{site}", Uri.EscapeDataString(site), StringComparison.Ordinal);

    private static string PlanPath(string template, string site, long version)
        => SitePath(template, site).Replace("{version:long}", version.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
