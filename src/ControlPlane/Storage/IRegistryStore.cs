using Cdn.Contracts.Nodes;
using Cdn.Contracts.Routing;
using Cdn.ControlPlane.Registry;

namespace Cdn.ControlPlane.Storage;

/// <summary>Durable control-plane state: nodes, sites put through the API, the coverage zone file.</summary>
internal interface IRegistryStore
{
    /// <summary>Creates the schema when missing (safe to run from several replicas at once).</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<NodeRecord>> LoadNodesAsync(CancellationToken cancellationToken);

    Task<NodeRecord?> GetNodeAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Inserts a node or replaces its registration: health history restarts, the operator drain flag is kept.</summary>
    Task<NodeRecord> RegisterAsync(NodeRegistration registration, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Read-modify-write of one node with optimistic concurrency; null when the node is unknown.</summary>
    Task<NodeRecord?> UpdateAsync(string nodeId, Func<NodeRecord, NodeRecord> change, CancellationToken cancellationToken);

    Task<IReadOnlyList<SiteInfo>> LoadSitesAsync(CancellationToken cancellationToken);

    Task SaveSiteAsync(SiteInfo site, DateTimeOffset now, CancellationToken cancellationToken);

    Task<StoredCoverageZones?> LoadCoverageZonesAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new coverage zone document and returns its version.</summary>
    Task<long> SaveCoverageZonesAsync(string json, DateTimeOffset now, CancellationToken cancellationToken);
}
