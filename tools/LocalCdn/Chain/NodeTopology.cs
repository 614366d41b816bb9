using LocalCdn.Nodes;

namespace LocalCdn.Chain;

/// <summary>A cache node of the local CDN: name, site, loopback address and ports.</summary>
/// <param name="Name">Node name and control-plane id.</param>
/// <param name="Site">Its site.</param>
/// <param name="Address">Its own loopback address (every listener binds it).</param>
/// <param name="Ports">Its listeners.</param>
public sealed record NodeTopology(string Name, string Site, string Address, CacheNodePorts Ports);
