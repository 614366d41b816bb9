using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane;

/// <summary>Log events of the control plane: 7000–7499 (registry, health, sites, coverage zones, API); DNS uses 7500–7999 in <see cref="Dns.DnsLog"/>.</summary>
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
}
