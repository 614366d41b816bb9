using System.Collections.Concurrent;
using Cdn.Caching.Keys;
using Cdn.Proxy.Keys;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// Recently seen (host, target) pairs with their normalized target and cache key, so a popular segment is
/// normalized and hashed once rather than per request. Bounded: cleared when full (an attacker sending
/// unique URLs only costs us the normalization we would do anyway).
/// </summary>
internal sealed class TargetCache
{
    private const int Capacity = 65_536;

    private readonly ConcurrentDictionary<string, (RequestTarget Target, CacheKey Key)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (RequestTarget Target, CacheKey Key)>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TargetCache() => _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool TryGet(string host, string target, out RequestTarget normalized, out CacheKey key)
    {
        var length = host.Length + 1 + target.Length;
        if (length > 2048)
        {
            normalized = null!;
            key = default;
            return false;
        }

        Span<char> composite = stackalloc char[length];
        host.CopyTo(composite);
        composite[host.Length] = ' ';
        target.CopyTo(composite[(host.Length + 1)..]);
        if (_lookup.TryGetValue(composite, out var hit))
        {
            normalized = hit.Target;
            key = hit.Key;
            return true;
        }

        normalized = null!;
        key = default;
        return false;
    }

    public void Add(string host, string target, RequestTarget normalized, CacheKey key)
    {
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[$"{host} {target}"] = (normalized, key);
    }
}
