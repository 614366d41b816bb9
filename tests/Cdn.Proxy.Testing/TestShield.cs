namespace Cdn.Proxy.Testing;

/// <summary>A real origin shield (the originshield wiring, section <c>Shield</c>) on loopback ports, in front of test origins.</summary>
public sealed class TestShield : TestCacheNode
{
    private TestShield((Microsoft.AspNetCore.Builder.WebApplication App, int HttpPort, int AdminPort, int? HttpsPort, string? CaPath) node)
        : base(node.App, node.HttpPort, node.AdminPort, node.HttpsPort, node.CaPath)
    {
    }

    /// <summary>Starts a shield filling from <paramref name="originUrls"/>; <paramref name="settings"/> keys start with <c>Shield:</c>.</summary>
    public static async Task<TestShield> StartAsync(string root, IEnumerable<string> originUrls, Dictionary<string, string?>? settings = null,
        TimeProvider? time = null)
        => new(await StartNodeAsync("Shield", "shield", root, originUrls, settings, time, https: false, parents: false));
}
