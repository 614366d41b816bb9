using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>DNS listening on <c>::</c> answers IPv6 and IPv4 clients and locates each by its own address.</summary>
public sealed class DualStackTests : IAsyncLifetime
{
    private const string Czf = """
        { "coverageZones": {
            "ams": { "network6": ["::1/128"] },
            "fra": { "network": ["127.0.0.0/8"] } } }
        """;

    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartAsync(c =>
        {
            c["Dns"]!["Listen"]!["Address"] = "::";
            c["Health"]!["HeartbeatInterval"] = "00:01:00";
        }, Czf);
        await _host.RegisterAsync("edge-ams-1", "ams", NodeRole.Edge, "10.10.0.1");
        await _host.RegisterAsync("edge-fra-1", "fra", NodeRole.Edge, "10.20.0.1");
        await _host.HeartbeatAsync("edge-ams-1");
        await _host.HeartbeatAsync("edge-fra-1");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, string> Cases => new()
    {
        { "::1", "", "10.10.0.1" },
        { "::1", "+tcp", "10.10.0.1" },
        { "127.0.0.1", "", "10.20.0.1" },
        { "127.0.0.1", "+tcp", "10.20.0.1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_client_is_located_by_its_own_address_family(string server, string transport, string expected)
    {
        string[] args = transport.Length == 0 ? ["video.cdn.test", "A"] : ["video.cdn.test", "A", transport];

        var result = await DigTool.Dig().QueryServerAsync(server, _host.DnsPort, args);

        Assert.Equal([expected], result.Addresses);
    }
}
