using Cdn.ControlPlane.Popularity;

namespace Cdn.ControlPlane.Storage;

/// <summary>Durable popularity: request and byte counts per site, time window and object.</summary>
internal interface IPopularityStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Adds counts to what is stored for each (site, window, object).</summary>
    Task AddAsync(IReadOnlyList<(string Site, PopularityRow Row)> rows, CancellationToken cancellationToken);

    /// <summary>Every window of one site (or every site) since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<PopularityRow>> LoadAsync(string? site, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes windows that started before <paramref name="before"/>; returns rows removed.</summary>
    Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
