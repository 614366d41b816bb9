using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <content>Switching upstreams while serving (configuration reloads).</content>
public sealed partial class HttpCache
{
    /// <summary>The upstream client in force: the one the node started with, or the last one a reload put in.</summary>
    public UpstreamClient Upstream => Volatile.Read(ref _upstream);

    /// <summary>
    /// Makes <paramref name="next"/> the client of every upstream request that starts from now on and returns
    /// the client it replaces. A request reads the client once when it is sent, so requests already under way
    /// finish on the client (and connections) they started with.
    /// </summary>
    public UpstreamClient ReplaceUpstream(UpstreamClient next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Interlocked.Exchange(ref _upstream, next);
    }
}
