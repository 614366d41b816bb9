using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Health;
using Cdn.ControlPlane.Registry;

namespace Cdn.ControlPlane.Api;

/// <summary>The wire view of a node.</summary>
internal static class NodeStatusMapper
{
    public static NodeStatus ToStatus(NodeRecord node, HealthVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(node);
        var r = node.Registration;
        var reason = verdict.Reason;
        if (node.Drained)
        {
            reason = reason is null ? "drained by operator" : $"{reason}; drained by operator";
        }
        else if (node.ShuttingDown)
        {
            reason = reason is null ? "shutting down" : $"{reason}; shutting down";
        }

        return new NodeStatus(
            r.NodeId, r.Role, r.Site, r.Addresses, r.CapacityGbps, verdict.State, node.Drained || node.ShuttingDown,
            node.Health.LastHeartbeatAt, node.LastReport?.Health, node.LastReport?.Load, node.LastReport?.Cache, reason, r.AdminUrl, r.CacheUrl);
    }
}
