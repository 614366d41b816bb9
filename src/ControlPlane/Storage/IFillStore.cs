using Cdn.Contracts.Fill;

namespace Cdn.ControlPlane.Storage;

/// <summary>Durable fill state: plan versions per site, operator pins, the latest progress report per edge.</summary>
internal interface IFillStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Highest version stored for the site (0: none).</summary>
    Task<long> MaxVersionAsync(string site, CancellationToken cancellationToken);

    /// <summary>Stores a new version; false when another replica took that version number first.</summary>
    Task<bool> TryInsertPlanAsync(FillPlanSummary summary, FillPlan plan, CancellationToken cancellationToken);

    Task<FillPlanSummary?> GetSummaryAsync(string site, long version, CancellationToken cancellationToken);

    Task<FillPlan?> GetPlanAsync(string site, long version, CancellationToken cancellationToken);

    /// <summary>Summaries, newest first, of one site or all.</summary>
    Task<IReadOnlyList<FillPlanSummary>> ListSummariesAsync(string? site, int limit, CancellationToken cancellationToken);

    /// <summary>The active version of every site that has one.</summary>
    Task<IReadOnlyDictionary<string, long>> LoadActiveVersionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="version"/> active and the previous active one superseded, in one transaction, only
    /// when the active version is still <paramref name="expectedActive"/> (0: none); false otherwise.
    /// </summary>
    Task<bool> ActivateAsync(string site, long version, long expectedActive, DateTimeOffset pushedAt, CancellationToken cancellationToken);

    /// <summary>Deletes all but the newest <paramref name="keep"/> versions of a site (never the active one).</summary>
    Task PruneAsync(string site, int keep, CancellationToken cancellationToken);

    Task SavePinAsync(FillPin pin, CancellationToken cancellationToken);

    Task<IReadOnlyList<FillPin>> LoadPinsAsync(CancellationToken cancellationToken);

    Task<bool> DeletePinAsync(string id, CancellationToken cancellationToken);

    Task SaveProgressAsync(FillProgress progress, CancellationToken cancellationToken);

    Task<IReadOnlyList<FillProgress>> LoadProgressAsync(string? site, CancellationToken cancellationToken);
}
