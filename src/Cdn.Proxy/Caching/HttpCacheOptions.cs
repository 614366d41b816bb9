namespace Cdn.Proxy.Caching;

/// <summary>Identity of the node for Via, CDN-Loop and X-Cache.</summary>
/// <param name="NodeName">This node's name.</param>
/// <param name="Service">"edge" or "shield" (metrics label).</param>
public sealed record HttpCacheIdentity(string NodeName, string Service);
