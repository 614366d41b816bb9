using System.Net;
using System.Net.Sockets;
using Cdn.ControlPlane.Dns.Wire;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>The query rules, checked with the real dig and kdig over UDP and TCP.</summary>
public sealed class DigTests : IClassFixture<DigFixture>
{
    private static readonly string[] AmsV4 = ["10.10.0.1", "10.10.0.2", "10.10.0.3"];
    private readonly DigFixture _fixture;

    public DigTests(DigFixture fixture) => _fixture = fixture;

    private int Port => _fixture.Host.DnsPort;

    public static TheoryData<string> Tools => new() { "dig", "kdig" };

    private static DigTool Tool(string name) => name == "dig" ? DigTool.Dig() : DigTool.Kdig();

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Ecs_in_the_query_picks_the_site_and_the_scope_is_the_matched_prefix(string tool)
    {
        var result = await Tool(tool).QueryAsync(Port, "video.cdn.test", "A", "+subnet=10.1.2.0/24");

        Assert.Equal("NOERROR", result.Status);
        Assert.Contains("aa", result.Flags, StringComparison.Ordinal);
        Assert.Equal(AmsV4, result.Addresses);
        Assert.Equal("10.1.2.0/24/16", result.ClientSubnet);
        Assert.All(result.Section("ANSWER"), r => Assert.Equal(30, r.Ttl));
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task An_ipv6_client_subnet_gets_the_sites_ipv6_edges(string tool)
    {
        var result = await Tool(tool).QueryAsync(Port, "video.cdn.test", "AAAA", "+subnet=2001:db8:1:400::/56");

        Assert.Equal(["2001:db8:a::1", "2001:db8:a::2", "2001:db8:a::3"], result.Addresses);
        Assert.Equal("2001:db8:1:400::/56/48", result.ClientSubnet);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Without_ecs_the_resolver_address_is_located(string tool)
    {
        // 127.0.0.0/8 is in zone fra.
        var result = await Tool(tool).QueryAsync(Port, "video.cdn.test", "A");

        Assert.Equal(["10.20.0.1"], result.Addresses);
        Assert.Null(result.ClientSubnet);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Tcp_gets_the_same_answer(string tool)
    {
        var result = await Tool(tool).QueryAsync(Port, "video.cdn.test", "A", "+tcp", "+subnet=10.1.0.0/16");

        Assert.Equal(AmsV4, result.Addresses);
        Assert.Contains("(TCP)", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_queries_share_one_tcp_connection()
    {
        var result = await DigTool.Kdig().QueryAsync(Port, "+tcp", "+keepopen", "video.cdn.test", "A", "live.cdn.test", "A", "cdn.test", "SOA");

        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(result.Text, "status: NOERROR"));
    }

    [Fact]
    public async Task Names_are_case_insensitive_and_the_case_is_echoed()
    {
        // dig sends the name as typed (kdig lower-cases it before sending, so only dig can show the echo).
        var result = await DigTool.Dig().QueryAsync(Port, "ViDeO.CdN.TeSt", "A", "+subnet=10.1.0.0/16");

        Assert.Equal(AmsV4, result.Addresses);
        Assert.Contains(";ViDeO.CdN.TeSt.", result.Text, StringComparison.Ordinal);
        Assert.All(result.Section("ANSWER"), r => Assert.Equal("ViDeO.CdN.TeSt.", r.Owner));
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task An_unknown_name_in_the_zone_is_nxdomain_with_the_soa(string tool)
    {
        var result = await Tool(tool).QueryAsync(Port, "nope.cdn.test", "A");

        Assert.Equal("NXDOMAIN", result.Status);
        var soa = Assert.Single(result.Section("AUTHORITY"));
        Assert.Equal(("SOA", 60), (soa.Type, soa.Ttl));
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task A_type_we_do_not_serve_is_nodata(string tool)
    {
        var result = await Tool(tool).QueryAsync(Port, "video.cdn.test", "MX");

        Assert.Equal("NOERROR", result.Status);
        Assert.Empty(result.Section("ANSWER"));
        Assert.Equal("SOA", Assert.Single(result.Section("AUTHORITY")).Type);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task A_name_outside_the_zone_is_refused(string tool)
        => Assert.Equal("REFUSED", (await Tool(tool).QueryAsync(Port, "www.example.com", "A")).Status);

    [Fact]
    public async Task Ns_and_soa_have_their_long_ttls()
    {
        var dig = DigTool.Dig();
        var ns = await dig.QueryAsync(Port, "cdn.test", "NS");
        var soa = await dig.QueryAsync(Port, "cdn.test", "SOA");

        Assert.Equal(("NS", 86400, "ns1.cdn.test."), (ns.Section("ANSWER")[0].Type, ns.Section("ANSWER")[0].Ttl, ns.Section("ANSWER")[0].Data));
        Assert.Equal(("A", "127.0.0.1"), (ns.Section("ADDITIONAL")[0].Type, ns.Section("ADDITIONAL")[0].Data));
        Assert.Equal(3600, Assert.Single(soa.Section("ANSWER")).Ttl);
    }

    [Fact]
    public async Task Edns_version_1_is_badvers()
        => Assert.Equal("BADVERS", (await DigTool.Dig().QueryAsync(Port, "video.cdn.test", "A", "+edns=1", "+noednsneg")).Status);

    [Fact]
    public async Task A_big_answer_is_truncated_over_udp_without_edns()
    {
        // 127.0.0.3 is in zone big (30 IPv6 edges: 30 × 28 bytes > 512).
        var result = await DigTool.Dig().QueryAsync(Port, "-b", "127.0.0.3", "video.cdn.test", "AAAA", "+noedns", "+ignore");

        Assert.Contains("tc", result.Flags.Split(' '));
        Assert.Empty(result.Addresses);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task A_big_answer_comes_whole_over_tcp(string tool)
    {
        var result = await Tool(tool).QueryAsync(Port, "video.cdn.test", "AAAA", "+subnet=10.3.0.0/16", "+tcp");

        Assert.Equal(30, result.Addresses.Count);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task A_big_answer_fits_over_udp_with_a_big_enough_bufsize(string tool)
    {
        var result = await Tool(tool).QueryAsync(Port, "video.cdn.test", "AAAA", "+subnet=10.3.0.0/16", "+bufsize=1232", "+notcp");

        Assert.DoesNotContain("tc", result.Flags.Split(' '));
        Assert.Equal(30, result.Addresses.Count);
        Assert.Contains("(UDP)", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dig_retries_a_truncated_answer_over_tcp_and_gets_it_all()
    {
        var result = await DigTool.Dig().QueryAsync(Port, "video.cdn.test", "AAAA", "+subnet=10.3.0.0/16", "+bufsize=512");

        Assert.Equal(30, result.Addresses.Count);
        Assert.Contains("Truncated, retrying in TCP mode", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_query_over_udp_gets_formerr()
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Loopback, Port);
        var query = DnsQueryBuilder.Query("video.cdn.test", DnsRecordType.A, id: 4242, subnet: (7, 8, [10]));

        await udp.SendAsync(query);
        var reply = DnsMessage.Parse((await udp.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5))).Buffer);

        Assert.Equal((4242, (int)DnsResponseCode.FormErr), (reply.Id, reply.ResponseCode));
    }

    [Fact]
    public async Task An_idle_tcp_connection_is_closed_by_the_server()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        var buffer = new byte[16];

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var read = await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, read);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Metrics_count_queries_by_rcode_type_and_transport_and_answers_by_site()
    {
        await DigTool.Dig().QueryAsync(Port, "nope.cdn.test", "AAAA", "+tcp");
        await DigTool.Dig().QueryAsync(Port, "video.cdn.test", "A", "+subnet=10.1.0.0/16");

        var metrics = await _fixture.Host.MetricsAsync();

        Assert.Contains("controlplane_dns_queries_total{qtype=\"AAAA\",rcode=\"NXDOMAIN\",transport=\"tcp\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("controlplane_dns_answers_total{site=\"ams\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("controlplane_dns_client_subnet_queries_total", metrics, StringComparison.Ordinal);
        Assert.Contains("controlplane_nodes{drained=\"false\",role=\"edge\",site=\"big\",state=\"up\"} 30", metrics, StringComparison.Ordinal);
    }
}
