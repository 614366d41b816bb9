namespace Cdn.Proxy.Testing;

/// <summary>A real edge (the edgenode wiring, section <c>Edge</c>) on loopback ports, in front of test origins or parents.</summary>
public sealed class TestEdge : TestCacheNode
{
    private TestEdge((Microsoft.AspNetCore.Builder.WebApplication App, int HttpPort, int AdminPort, int? HttpsPort, string? CaPath) node)
        : base(node.App, node.HttpPort, node.AdminPort, node.HttpsPort, node.CaPath)
    {
    }

    /// <summary>
    /// Starts an edge filling from <paramref name="upstreamUrls"/> (origins, or parents when <paramref name="parents"/>);
    /// <paramref name="configFile"/>: a JSON file read last, which a test may edit and reload.
    /// </summary>
    public static async Task<TestEdge> StartAsync(string root, IEnumerable<string> upstreamUrls, Dictionary<string, string?>? settings = null,
        TimeProvider? time = null, bool https = false, bool parents = false, string? configFile = null)
        => new(await StartNodeAsync("Edge", "edge", root, upstreamUrls, settings, time, https, parents, configFile));
}
