using Cdn.Caching.Keys;

namespace Cdn.Proxy.Upstream;

/// <summary>
/// The parents and origins of a node, and the order they are tried in for one object: parents by
/// rendezvous (highest random weight) hashing of the cache key — so every edge sends an object to the same
/// shield, and losing a shield moves only that shield's objects — then origins in configured order or by
/// weight.
/// </summary>
/// <remarks>
/// Every node must rank the servers identically for an object, so both the object hash and the server
/// seeds come from <see cref="ObjectHash"/>, a fixed function of the bytes — never the engine's keyed
/// <see cref="CacheKey.Hash"/> (its secret differs per cache) nor <c>string.GetHashCode</c> (randomized per
/// process). Edges must list the same parents (same names or URLs); their order does not matter.
/// </remarks>
public sealed class UpstreamPool
{
    private readonly UpstreamServer[] _parents;
    private readonly UpstreamServer[] _origins;
    private readonly OriginSelection _originSelection;

    /// <summary>Builds the pool from <paramref name="options"/>.</summary>
    public UpstreamPool(UpstreamOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = options.EffectiveHealthCheck;
        _parents = options.Parents.Select(p => new UpstreamServer(p, true, options.FailuresToMarkDown, options.DownTime, time,
            p.HealthCheckUrl is null ? null : checks)).ToArray();
        // Origins are probed only when HealthCheck is configured (its default "HEAD /" would fail many origins).
        _origins = options.Origins.Select(o => new UpstreamServer(o, false, options.FailuresToMarkDown, options.DownTime, time,
            options.HealthCheck is null && o.HealthCheckUrl is null ? null : checks)).ToArray();
        _originSelection = options.OriginSelection;
    }

    /// <summary>Every server, parents first.</summary>
    public IReadOnlyList<UpstreamServer> All => [.. _parents, .. _origins];

    /// <summary>The parents.</summary>
    public IReadOnlyList<UpstreamServer> Parents => _parents;

    /// <summary>The origins.</summary>
    public IReadOnlyList<UpstreamServer> Origins => _origins;

    /// <summary>The order in which to try servers for the object <paramref name="key"/>.</summary>
    public List<UpstreamServer> Order(CacheKey key) => Order(ObjectHash(key.Utf8.Span));

    /// <summary>The order in which to try servers for the object whose <see cref="ObjectHash"/> is <paramref name="keyHash"/>.</summary>
    public List<UpstreamServer> Order(ulong keyHash)
    {
        var order = new List<UpstreamServer>(_parents.Length + _origins.Length);
        order.AddRange(Rendezvous(_parents, keyHash));
        order.AddRange(_originSelection == OriginSelection.Weighted ? Rendezvous(_origins, keyHash) : _origins);
        return order;
    }

    /// <summary>Servers sorted by descending score w / -ln(u), u uniform from hash(key, server).</summary>
    internal static IEnumerable<UpstreamServer> Rendezvous(UpstreamServer[] servers, ulong keyHash)
    {
        if (servers.Length <= 1)
        {
            return servers;
        }

        var scored = new (double Score, UpstreamServer Server)[servers.Length];
        for (var i = 0; i < servers.Length; i++)
        {
            var h = Mix(keyHash ^ servers[i].Seed);
            var unit = ((h >> 11) + 0.5) / (1UL << 53);
            scored[i] = (servers[i].Weight / -Math.Log(unit), servers[i]);
        }

        Array.Sort(scored, (a, b) => b.Score.CompareTo(a.Score));
        return scored.Select(s => s.Server);
    }

    /// <summary>
    /// The hash rendezvous ranks with: 64-bit FNV-1a of the bytes, finished with MurmurHash3's fmix64 so that
    /// keys differing in their last bytes spread over all 64 bits. Stable across processes, machines and
    /// releases: changing it moves every object to another shield.
    /// </summary>
    public static ulong ObjectHash(ReadOnlySpan<byte> bytes)
    {
        var h = 0xcbf29ce484222325UL;
        foreach (var b in bytes)
        {
            h = (h ^ b) * 0x100000001b3UL;
        }

        return Mix(h);
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        return x ^ (x >> 33);
    }
}
