using Cdn.ControlPlane.Purge;

namespace Cdn.ControlPlane.Storage;

/// <summary>Durable purges: each a document with a revision.</summary>
internal interface IPurgeStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    Task InsertAsync(PurgeRecord purge, CancellationToken cancellationToken);

    /// <summary>Replaces a purge when its revision is still <paramref name="expectedRevision"/>; false when another writer was first.</summary>
    Task<bool> TryUpdateAsync(PurgeRecord purge, long expectedRevision, CancellationToken cancellationToken);

    Task<PurgeRecord?> GetAsync(string purgeId, CancellationToken cancellationToken);

    /// <summary>Purges not yet complete, oldest first.</summary>
    Task<IReadOnlyList<PurgeRecord>> LoadPendingAsync(CancellationToken cancellationToken);

    /// <summary>The newest purges.</summary>
    Task<IReadOnlyList<PurgeRecord>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Deletes completed purges created before <paramref name="before"/>.</summary>
    Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
