namespace Cdn.Proxy.Upstream;

/// <summary>
/// The parents and origins of a node, and the order they are tried in for one object: parents by
/// rendezvous (highest random weight) hashing of the cache key — so every edge sends an object to the same
/// shield, and losing a shield moves only that shield's objects — then origins in configured order or by
/// weight.
/// </summary>
public sealed class UpstreamPool
{
    private readonly UpstreamServer[] _parents;
    private readonly UpstreamServer[] _origins;
    private readonly OriginSelection _originSelection;

    /// <summary>Builds the pool from <paramref name="options"/>.</summary>
    public UpstreamPool(UpstreamOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _parents = options.Parents.Select(p => new UpstreamServer(p, true, options.FailuresToMarkDown, options.DownTime, time)).ToArray();
        _origins = options.Origins.Select(o => new UpstreamServer(o, false, options.FailuresToMarkDown, options.DownTime, time)).ToArray();
        _originSelection = options.OriginSelection;
    }

    /// <summary>Every server, parents first.</summary>
    public IReadOnlyList<UpstreamServer> All => [.. _parents, .. _origins];

    /// <summary>The parents.</summary>
    public IReadOnlyList<UpstreamServer> Parents => _parents;

    /// <summary>The origins.</summary>
    public IReadOnlyList<UpstreamServer> Origins => _origins;

    /// <summary>The order in which to try servers for the object with key hash <paramref name="keyHash"/>.</summary>
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

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        return x ^ (x >> 33);
    }
}
