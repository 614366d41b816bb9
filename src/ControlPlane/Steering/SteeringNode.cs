using System.Net;
using Cdn.Contracts.Nodes;

namespace Cdn.ControlPlane.Steering;

/// <summary>A node as steering sees it. <see cref="Routable"/> is up and not drained; otherwise <see cref="Reason"/> says why not.</summary>
internal sealed record SteeringNode(string NodeId, NodeRole Role, string Site, IReadOnlyList<IPAddress> Addresses, bool Routable, string? Reason);
