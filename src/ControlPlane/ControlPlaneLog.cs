using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane;

/// <summary>
/// Log events of the control plane: 7000–7499 (registry, health, sites, coverage zones, API: 7000–7099;
/// catalog, popularity and fill plans: 7100–7199; purge fan-out: 7200–7249; 7400–7449 belong to the node
/// agent); DNS uses 7500–7999 in <see cref="Dns.DnsLog"/>.
/// </summary>
internal static partial class ControlPlaneLog
{
    [LoggerMessage(7000, LogLevel.Information, "Node {NodeId} registered: {Role} in site {Site}, addresses {Addresses}")]
    public static partial void NodeRegistered(ILogger logger, string nodeId, Contracts.Nodes.NodeRole role, string site, string addresses);

    [LoggerMessage(7001, LogLevel.Warning, "Node {NodeId} is now {State} (was {Previous}): {Reason}")]
    public static partial void NodeStateChanged(ILogger logger, string nodeId, Contracts.Nodes.NodeState state, Contracts.Nodes.NodeState previous, string reason);

    [LoggerMessage(7006, LogLevel.Information, "Node {NodeId} is now Up (was {Previous})")]
    public static partial void NodeUp(ILogger logger, string nodeId, Contracts.Nodes.NodeState previous);

    [LoggerMessage(7002, LogLevel.Information, "Node {NodeId} drained by operator")]
    public static partial void NodeDrained(ILogger logger, string nodeId);

    [LoggerMessage(7003, LogLevel.Information, "Node {NodeId} undrained by operator")]
    public static partial void NodeUndrained(ILogger logger, string nodeId);

    [LoggerMessage(7004, LogLevel.Information, "Node {NodeId} says it is shutting down: no new players")]
    public static partial void NodeShuttingDown(ILogger logger, string nodeId);

    [LoggerMessage(7005, LogLevel.Warning, "Heartbeat from unknown node {NodeId}: it must register first")]
    public static partial void UnknownNodeHeartbeat(ILogger logger, string nodeId);

    [LoggerMessage(7010, LogLevel.Information, "Site {Site} stored (fallbacks {Fallbacks})")]
    public static partial void SiteSaved(ILogger logger, string site, string fallbacks);

    [LoggerMessage(7020, LogLevel.Information, "Coverage zones applied from {Source}: {Zones} zones, {Networks} networks, revision {Revision}")]
    public static partial void CoverageZonesApplied(ILogger logger, string source, int zones, int networks, string? revision);

    [LoggerMessage(7021, LogLevel.Error, "Coverage zones from {Source} rejected, previous zones stay in force: {Errors}")]
    public static partial void CoverageZonesRejected(ILogger logger, string source, string errors);

    [LoggerMessage(7022, LogLevel.Warning, "Coverage zone file {Path} cannot be read: {Error}")]
    public static partial void CoverageZoneFileUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(7023, LogLevel.Warning, "Coverage zones from {Source} applied here but not stored; other replicas do not have them yet")]
    public static partial void CoverageZonesNotStored(ILogger logger, Exception exception, string source);

    [LoggerMessage(7030, LogLevel.Information, "Answer view {Version} published: {Summary}")]
    public static partial void ViewPublished(ILogger logger, long version, string summary);

    [LoggerMessage(7040, LogLevel.Warning, "Refreshing shared state from the store failed; serving the last known state")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(7041, LogLevel.Information, "State store ready: {Provider}")]
    public static partial void StoreReady(ILogger logger, Data.DatabaseProvider provider);

    [LoggerMessage(7050, LogLevel.Information, "Control plane API listening on {Address}")]
    public static partial void ApiListening(ILogger logger, string address);

    [LoggerMessage(7100, LogLevel.Information, "Title {TitleId} published: {Objects} objects, {Bytes} bytes in {Units} units")]
    public static partial void TitlePublished(ILogger logger, string titleId, int objects, long bytes, int units);

    [LoggerMessage(7101, LogLevel.Information, "Title {TitleId} withdrawn: the next plans release it")]
    public static partial void TitleWithdrawn(ILogger logger, string titleId);

    [LoggerMessage(7110, LogLevel.Warning, "Writing popularity counts failed ({Rows} rows kept for the next flush)")]
    public static partial void PopularityFlushFailed(ILogger logger, int rows, Exception exception);

    [LoggerMessage(7120, LogLevel.Information, "Fill plan {Site} v{Version} computed: add {AddBytes} B, keep {KeepBytes} B, release {ReleaseBytes} B, churn {Churn:P1}, in {Milliseconds:0.0} ms")]
    public static partial void PlanComputed(ILogger logger, string site, long version, long addBytes, long keepBytes, long releaseBytes, double churn, double milliseconds);

    [LoggerMessage(7121, LogLevel.Information, "Fill plan {Site} v{Version} pushed (was v{Previous}); edges pick it up with their next heartbeat")]
    public static partial void PlanPushed(ILogger logger, string site, long version, long previous);

    [LoggerMessage(7122, LogLevel.Warning, "Automatic fill plan for site {Site} failed: {Problems}")]
    public static partial void AutoPlanFailed(ILogger logger, string site, string problems);

    [LoggerMessage(7123, LogLevel.Warning, "Fill maintenance (popularity flush, plan refresh) failed; retrying next tick")]
    public static partial void FillMaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(7130, LogLevel.Information, "Pin {PinId} added for site {Site}: {What}")]
    public static partial void PinAdded(ILogger logger, string pinId, string site, string what);

    [LoggerMessage(7200, LogLevel.Information, "Purge {PurgeId} of {Kind} {Target}: fanning out to {Nodes} nodes")]
    public static partial void PurgeCreated(ILogger logger, string purgeId, Contracts.Purge.PurgeKind kind, string target, int nodes);

    [LoggerMessage(7201, LogLevel.Information, "Purge {PurgeId}: node {NodeId} removed {Objects} objects")]
    public static partial void PurgeNodeDone(ILogger logger, string purgeId, string nodeId, long objects);

    [LoggerMessage(7202, LogLevel.Warning, "Purge {PurgeId}: node {NodeId} failed (attempt {Attempt}), retrying in {Delay}: {Error}")]
    public static partial void PurgeNodeFailed(ILogger logger, string purgeId, string nodeId, int attempt, TimeSpan delay, string error);

    [LoggerMessage(7203, LogLevel.Information, "Purge {PurgeId} complete on all {Nodes} nodes after {Elapsed}")]
    public static partial void PurgeCompleted(ILogger logger, string purgeId, int nodes, TimeSpan elapsed);

    [LoggerMessage(7204, LogLevel.Warning, "Purge fan-out failed; retrying next tick")]
    public static partial void PurgeLoopFailed(ILogger logger, Exception exception);
}
