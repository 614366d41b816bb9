using Cdn.Caching.Index;

namespace Cdn.Proxy.Policy;

/// <summary>Whether an upstream response may be stored, and the metadata to store it with.</summary>
/// <param name="Store">True when the response is storable.</param>
/// <param name="Reason">Why not, when not.</param>
/// <param name="Metadata">The entry to store (key, body id and length filled in by the engine).</param>
/// <param name="VaryHeaders">Normalized names of request headers the response varies on, or empty.</param>
public sealed record StoreDecision(bool Store, string? Reason, CacheEntry? Metadata, string[] VaryHeaders)
{
    /// <summary>Not storable, because <paramref name="reason"/>.</summary>
    public static StoreDecision No(string reason) => new(false, reason, null, []);
}
