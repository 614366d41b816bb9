namespace Cdn.Proxy.Keys;

/// <summary>A request target after normalization.</summary>
/// <param name="Host">Lower-case host without port.</param>
/// <param name="Path">Normalized path (unreserved escapes decoded, others upper-case, dot segments resolved).</param>
/// <param name="CacheKey">Host + path + the key query parameters (sorted).</param>
/// <param name="UpstreamPathAndQuery">What is requested upstream: the path and every query parameter except signing ones.</param>
/// <param name="Query">The raw query parameters (for signature checks), in order.</param>
public sealed record RequestTarget(string Host, string Path, string CacheKey, string UpstreamPathAndQuery, IReadOnlyList<KeyValuePair<string, string>> Query)
{
    /// <summary>The raw value of query parameter <paramref name="name"/>, or null.</summary>
    public string? QueryValue(string name)
    {
        foreach (var (k, v) in Query)
        {
            if (string.Equals(k, name, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return null;
    }
}
