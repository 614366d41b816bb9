using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Dns;
using Cdn.ControlPlane.Dns.Wire;
using Cdn.ControlPlane.Steering;

namespace Cdn.Benchmarks.Dns;

/// <summary>
/// The per-packet work of the GeoDNS: parse a query, locate the client, copy the pre-encoded answer.
/// Allocations must stay at zero (MemoryDiagnoser); the UDP threads and dnsperf numbers rest on it.
/// </summary>
[MemoryDiagnoser]
public class DnsResponderBenchmarks
{
    private readonly byte[] _response = new byte[4096];
    private readonly byte[] _lower = new byte[DnsName.MaxLength];
    private readonly byte[] _original = new byte[DnsName.MaxLength];
    private DnsResponder _responder = null!;
    private DnsWorker _worker = null!;
    private byte[] _plain = null!;
    private byte[] _ecs = null!;
    private byte[] _nxdomain = null!;
    private ClientAddress _client;

    [GlobalSetup]
    public void Setup()
    {
        var options = new DnsOptions
        {
            MaxAnswers = 4,
            Zones = [new DnsZoneOptions { Name = "cdn.test", Hosts = ["video"], NameServers = [new NameServerOptions { Name = "ns1", Addresses = ["192.0.2.53"] }] }],
        };
        var czf = """{ "coverageZones": { "ams": { "network": ["10.1.0.0/16"] }, "fra": { "network": ["10.2.0.0/16", "127.0.0.0/8"] } } }""";
        var zones = CoverageZoneFile.Parse(czf, out _)!;
        var nodes = new List<SteeringNode>();
        for (var i = 1; i <= 8; i++)
        {
            nodes.Add(new SteeringNode($"edge-ams-{i}", NodeRole.Edge, "ams", [IPAddress.Parse($"10.10.0.{i}")], true, null));
            nodes.Add(new SteeringNode($"edge-fra-{i}", NodeRole.Edge, "fra", [IPAddress.Parse($"10.20.0.{i}")], true, null));
        }

        var state = new SteeringState();
        var input = new SteeringInput([new SteeringSite("ams", ["fra"], []), new SteeringSite("fra", [], [])], nodes, zones, null, [], 4, 30);
        state.Publish(SteeringViewBuilder.Build(input, 1, state.Labels));
        _responder = new DnsResponder(DnsZoneSet.Build(options), state, 1232);
        _worker = new DnsWorker(new DnsCounters(shared: false));
        _client = ClientAddress.From(IPAddress.Loopback);
        _plain = Query("video.cdn.test", DnsRecordType.A, null);
        _ecs = Query("video.cdn.test", DnsRecordType.A, [10, 1, 2]);
        _nxdomain = Query("nope.cdn.test", DnsRecordType.A, null);
    }

    private static byte[] Query(string name, ushort type, byte[]? subnet)
    {
        var bytes = new List<byte> { 0x12, 0x34, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, (byte)(subnet is null ? 0 : 1) };
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        if (subnet is not null)
        {
            bytes.AddRange([0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, (byte)(8 + subnet.Length), 0, 8, 0, (byte)(4 + subnet.Length), 0, 1, 24, 0]);
            bytes.AddRange(subnet);
        }

        return [.. bytes];
    }

    [Benchmark(Description = "parse query (EDNS + ECS)")]
    public int Parse() => (int)DnsQueryParser.Parse(_ecs, _original, _lower, out _);

    [Benchmark(Baseline = true, Description = "respond A, resolver address")]
    public int RespondPlain() => _responder.Respond(_plain, _response, _client, DnsTransport.Udp, _worker);

    [Benchmark(Description = "respond A, ECS /24")]
    public int RespondClientSubnet() => _responder.Respond(_ecs, _response, _client, DnsTransport.Udp, _worker);

    [Benchmark(Description = "respond NXDOMAIN")]
    public int RespondNxDomain() => _responder.Respond(_nxdomain, _response, _client, DnsTransport.Udp, _worker);

    private static readonly PrefixTrie Trie = BuildTrie();

    [Benchmark(Description = "coverage-zone lookup /32 (4096 prefixes)")]
    public int Lookup() => Trie.Lookup((UInt128)BinaryPrimitives.ReadUInt32BigEndian([10, 7, 200, 9]) << 96, 32).Value;

    private static PrefixTrie BuildTrie()
    {
        var trie = new PrefixTrie(32);
        for (var i = 0; i < 4096; i++)
        {
            trie.Add((UInt128)(uint)((10 << 24) | (i << 8)) << 96, 24, i % 64);
        }

        return trie;
    }
}
