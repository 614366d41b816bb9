using Cdn.Contracts.Catalog;
using Cdn.ControlPlane.Catalog;

namespace Cdn.ControlPlane.Storage;

/// <summary>Durable catalog: each title's publication document, and its units for the planner.</summary>
internal interface ICatalogStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces a title (a republished title is live again if it was withdrawn).</summary>
    Task SaveTitleAsync(TitlePublished document, CatalogTitle title, CancellationToken cancellationToken);

    /// <summary>Marks a title withdrawn (kept, so edges can still expand plans that release it). False when unknown.</summary>
    Task<bool> WithdrawTitleAsync(string titleId, CancellationToken cancellationToken);

    /// <summary>Every live title's units and summary (not the object lists).</summary>
    Task<IReadOnlyList<CatalogTitle>> LoadTitlesAsync(CancellationToken cancellationToken);

    /// <summary>One title's publication document, withdrawn or not; null when never published.</summary>
    Task<TitlePublished?> GetDocumentAsync(string titleId, CancellationToken cancellationToken);
}
