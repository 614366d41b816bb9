using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Health;

namespace Cdn.ControlPlane.Registry;

/// <summary>A node as stored: its registration, health history, drain flags and last report.</summary>
/// <param name="Registration">What the node said about itself when it last registered.</param>
/// <param name="Health">Heartbeat history the health decision is computed from.</param>
/// <param name="Drained">Operator drain (persisted; survives restarts of node and control plane).</param>
/// <param name="ShuttingDown">The node's last heartbeat said it is stopping (cleared when it registers again).</param>
/// <param name="LastReport">The last heartbeat (popularity omitted).</param>
/// <param name="Revision">Optimistic concurrency token; every write increments it.</param>
internal sealed record NodeRecord(
    NodeRegistration Registration,
    HealthHistory Health,
    bool Drained,
    bool ShuttingDown,
    NodeHeartbeat? LastReport,
    long Revision)
{
    public string NodeId => Registration.NodeId;
}
