namespace Cdn.Contracts.Nodes;

/// <summary>A node announcing itself to the control plane (at start and whenever its identity changes).</summary>
/// <param name="NodeId">Stable name of the node, unique in the CDN (e.g. <c>edge-ams-01</c>).</param>
/// <param name="Role">Edge or shield.</param>
/// <param name="Site">Site the node belongs to.</param>
/// <param name="Addresses">Public IPv4/IPv6 addresses players or edges reach it on (DNS answers use these).</param>
/// <param name="CapacityGbps">Sustainable egress in Gbit/s (from the capacity planner or the operator).</param>
/// <param name="AdminUrl">Base URL of the node's admin API, for purge fan-out and fill control.</param>
/// <param name="Version">Software version.</param>
/// <param name="CacheUrl">Base URL of the node's cache listener (cleartext) for peer edges of its site to fill from.</param>
public sealed record NodeRegistration(
    string NodeId,
    NodeRole Role,
    string Site,
    IReadOnlyList<string> Addresses,
    double CapacityGbps,
    Uri? AdminUrl,
    string Version,
    Uri? CacheUrl = null);

/// <summary>The control plane's answer to a registration.</summary>
/// <param name="NodeId">The registered id.</param>
/// <param name="HeartbeatInterval">How often the node must heartbeat.</param>
public sealed record NodeRegistrationAccepted(string NodeId, TimeSpan HeartbeatInterval);
