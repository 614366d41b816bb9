using System.Net;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Dns;
using Cdn.ControlPlane.Steering;

namespace Cdn.ControlPlane.Tests.Support;

/// <summary>An in-process responder over a hand-made view: zone cdn.test, hosts video and a.deep, sites ams (→ fra) and fra.</summary>
internal sealed class ResponderHarness
{
    public const string Czf = """
        { "revision": "t1", "coverageZones": {
            "ams": { "network": ["10.1.0.0/16"], "network6": ["2001:db8:1::/48"] },
            "fra": { "network": ["10.2.0.0/16", "10.2.5.0/24"] },
            "nowhere": { "network": ["10.9.0.0/16"] } } }
        """;

    private readonly SteeringState _state = new();
    private readonly DnsWorker _worker = new(new DnsCounters(shared: false));

    public ResponderHarness(int maxAnswers = 4, params SteeringNode[] nodes)
    {
        Options = new DnsOptions
        {
            MaxAnswers = maxAnswers,
            Zones =
            [
                new DnsZoneOptions
                {
                    Name = "cdn.test",
                    Hosts = ["video", "a.deep"],
                    NameServers = [new NameServerOptions { Name = "ns1", Addresses = ["192.0.2.53", "2001:db8::53"] }, new NameServerOptions { Name = "ns.other.example." }],
                },
            ],
            LastResort = ["192.0.2.99"],
        };
        Zones = CoverageZoneFile.Parse(Czf, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        Nodes = nodes.Length > 0 ? [.. nodes] :
        [
            Edge("edge-ams-1", "ams", "10.10.0.1", "2001:db8:a::1"),
            Edge("edge-ams-2", "ams", "10.10.0.2", "2001:db8:a::2"),
            Edge("edge-fra-1", "fra", "10.20.0.1"),
        ];
        Responder = new DnsResponder(DnsZoneSet.Build(Options), _state, Options.UdpPayloadSize);
        Publish();
    }

    public DnsOptions Options { get; }

    public CoverageZoneMap Zones { get; set; }

    public List<SteeringNode> Nodes { get; }

    public DnsResponder Responder { get; }

    public DnsCounters Counters => _worker.Counters;

    public static SteeringNode Edge(string id, string site, params string[] addresses)
        => new(id, NodeRole.Edge, site, [.. addresses.Select(IPAddress.Parse)], true, null);

    public static SteeringNode Shield(string id, string site, params string[] addresses)
        => new(id, NodeRole.Shield, site, [.. addresses.Select(IPAddress.Parse)], true, null);

    public SteeringInput Input() => new(
        [new SteeringSite("ams", ["fra"], []), new SteeringSite("fra", [], [])],
        Nodes, Zones, null, Options.LastResortAddresses(), Options.MaxAnswers, (uint)Options.Ttl.Edge);

    public void Publish() => _state.Publish(SteeringViewBuilder.Build(Input(), 1, _state.Labels));

    public byte[] Raw(byte[] query, string client = "127.0.0.1", DnsTransport transport = DnsTransport.Udp, int bufferSize = 4096)
    {
        var buffer = new byte[bufferSize];
        var n = Responder.Respond(query, buffer, ClientAddress.From(IPAddress.Parse(client)), transport, _worker);
        return buffer[..n];
    }

    public DnsMessage Ask(byte[] query, string client = "127.0.0.1", DnsTransport transport = DnsTransport.Udp)
    {
        var raw = Raw(query, client, transport);
        Assert.NotEmpty(raw);
        return DnsMessage.Parse(raw);
    }
}
