using Cdn.Contracts.Nodes;

namespace Cdn.ControlPlane.Health;

/// <summary>A node's state and, unless up, why.</summary>
internal readonly record struct HealthVerdict(NodeState State, string? Reason);
