using Cdn.ControlPlane.Dns;
using Cdn.ControlPlane.Dns.Wire;
using Cdn.ControlPlane.Tests.Support;
using static Cdn.ControlPlane.Tests.Support.DnsQueryBuilder;

namespace Cdn.ControlPlane.Tests.Dns;

public sealed class DnsResponderTests
{
    private readonly ResponderHarness _dns = new();

    private static string[] Addresses(DnsMessage m) => [.. m.Answers.Select(a => a.Address.ToString())];

    [Fact]
    public void A_steered_name_answers_authoritatively_with_the_edges_of_the_clients_site()
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.A), client: "10.1.7.7");

        Assert.True(reply.IsResponse && reply.Authoritative && reply.RecursionDesired);
        Assert.Equal(0, reply.ResponseCode);
        Assert.Equal(0x1234, reply.Id);
        Assert.Equal(["10.10.0.1", "10.10.0.2"], Addresses(reply).Order());
        Assert.All(reply.Answers, a => Assert.Equal(30u, a.Ttl));
        Assert.Empty(reply.Authority);
    }

    [Fact]
    public void The_question_comes_back_with_the_case_it_was_asked_in()
    {
        var reply = _dns.Ask(Query("ViDeO.CDN.tEsT", DnsRecordType.A));

        Assert.Equal("ViDeO.CDN.tEsT.", reply.Questions[0].Name);
        Assert.Equal("ViDeO.CDN.tEsT.", reply.Answers[0].Name); // owner is a pointer to the question
    }

    [Fact]
    public void Consecutive_answers_rotate_through_the_sites_edges()
    {
        var firsts = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            firsts.Add(_dns.Ask(Query("video.cdn.test", DnsRecordType.A), client: "10.1.0.1").Answers[0].Address.ToString());
        }

        Assert.Equal(["10.10.0.1", "10.10.0.2"], firsts.Order());
    }

    [Fact]
    public void At_most_max_answers_addresses_are_returned()
    {
        var dns = new ResponderHarness(2, [.. Enumerable.Range(1, 6).Select(i => ResponderHarness.Edge($"e{i}", "ams", $"10.10.0.{i}"))]);

        Assert.Equal(2, dns.Ask(Query("video.cdn.test", DnsRecordType.A), client: "10.1.0.1").Answers.Count);
    }

    [Fact]
    public void Ecs_decides_the_site_over_the_resolver_address_and_the_scope_is_the_matched_prefix()
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.A, subnet: Subnet4("10.1.3.0", 24)), client: "10.2.0.1");

        Assert.Equal(["10.10.0.1", "10.10.0.2"], Addresses(reply).Order());
        var ecs = reply.ClientSubnet!.Value;
        Assert.Equal((1, 24, 16), (ecs.Family, ecs.Source, ecs.Scope));
        Assert.Equal(new byte[] { 10, 1, 3 }, ecs.Address);
    }

    [Fact]
    public void A_more_specific_coverage_prefix_gives_its_own_scope()
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.A, subnet: Subnet4("10.2.5.0", 24)), client: "127.0.0.1");

        Assert.Equal(["10.20.0.1"], Addresses(reply));
        Assert.Equal(24, reply.ClientSubnet!.Value.Scope);
    }

    [Fact]
    public void An_ipv6_client_subnet_is_located_in_network6()
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.Aaaa, subnet: Subnet6("2001:db8:1:2::", 56)));

        Assert.Equal(["2001:db8:a::1", "2001:db8:a::2"], Addresses(reply).Order());
        Assert.Equal(48, reply.ClientSubnet!.Value.Scope);
    }

    [Fact]
    public void Ecs_with_source_prefix_zero_gets_scope_zero()
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.A, subnet: (1, 0, [])), client: "10.1.0.1");

        Assert.Equal(0, reply.ClientSubnet!.Value.Scope);
    }

    [Fact]
    public void Without_ecs_the_resolver_address_locates_the_client_and_no_ecs_is_sent_back()
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.A, edns: true), client: "10.2.1.1");

        Assert.Equal(["10.20.0.1"], Addresses(reply));
        Assert.Null(reply.ClientSubnet);
        Assert.NotNull(reply.Opt);
    }

    [Theory]
    [InlineData(3, 8, new byte[] { 10 })]
    [InlineData(1, 33, new byte[] { 10, 1, 2, 3, 4 })]
    [InlineData(1, 24, new byte[] { 10, 1 })]
    [InlineData(1, 16, new byte[] { 10, 1, 0 })]
    [InlineData(1, 12, new byte[] { 10, 0xFF })]
    [InlineData(2, 129, new byte[] { })]
    public void Ecs_with_a_bad_family_prefix_or_address_is_formerr(int family, int source, byte[] address)
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.A, subnet: ((ushort)family, (byte)source, address)));

        Assert.Equal((int)DnsResponseCode.FormErr, reply.ResponseCode);
        Assert.Empty(reply.Answers);
    }

    [Fact]
    public void An_unknown_name_in_the_zone_is_nxdomain_with_the_soa_and_its_negative_ttl()
    {
        var reply = _dns.Ask(Query("nope.cdn.test", DnsRecordType.A));

        Assert.Equal((int)DnsResponseCode.NxDomain, reply.ResponseCode);
        Assert.True(reply.Authoritative);
        var soa = Assert.Single(reply.Authority);
        Assert.Equal((DnsRecordType.Soa, "cdn.test.", 60u), (soa.Type, soa.Name, soa.Ttl));
    }

    [Fact]
    public void A_name_below_a_steered_host_is_nxdomain()
        => Assert.Equal((int)DnsResponseCode.NxDomain, _dns.Ask(Query("x.video.cdn.test", DnsRecordType.A)).ResponseCode);

    [Theory]
    [InlineData("video.cdn.test", 15)]
    [InlineData("video.cdn.test", 16)]
    [InlineData("cdn.test", 1)]
    [InlineData("deep.cdn.test", 1)]
    [InlineData("ns1.cdn.test", 15)]
    public void A_type_we_do_not_serve_is_nodata_with_the_soa(string name, int type)
    {
        var reply = _dns.Ask(Query(name, (ushort)type));

        Assert.Equal(0, reply.ResponseCode);
        Assert.Empty(reply.Answers);
        Assert.Equal(DnsRecordType.Soa, Assert.Single(reply.Authority).Type);
    }

    [Fact]
    public void A_name_outside_our_zones_is_refused_without_aa()
    {
        var reply = _dns.Ask(Query("www.example.com", DnsRecordType.A));

        Assert.Equal((int)DnsResponseCode.Refused, reply.ResponseCode);
        Assert.False(reply.Authoritative);
        Assert.Empty(reply.Answers);
    }

    [Fact]
    public void Zone_transfers_are_refused()
        => Assert.Equal((int)DnsResponseCode.Refused, _dns.Ask(Query("cdn.test", DnsRecordType.Axfr), transport: DnsTransport.Tcp).ResponseCode);

    [Fact]
    public void The_apex_answers_soa_and_ns_with_their_ttls_and_glue_for_in_zone_servers()
    {
        var soa = _dns.Ask(Query("cdn.test", DnsRecordType.Soa));
        Assert.Equal(3600u, Assert.Single(soa.Answers).Ttl);

        var ns = _dns.Ask(Query("cdn.test", DnsRecordType.Ns));
        Assert.Equal(["ns.other.example.", "ns1.cdn.test."], ns.Answers.Select(a => Cdn.ControlPlane.Dns.Wire.DnsName.ToText(a.Data)).Order());
        Assert.All(ns.Answers, a => Assert.Equal(86400u, a.Ttl));
        Assert.Equal(["192.0.2.53", "2001:db8::53"], ns.Additional.Select(a => a.Address.ToString()).Order());
    }

    [Fact]
    public void Glue_that_does_not_fit_is_left_out_rather_than_truncating_the_ns_answer()
    {
        var options = new DnsOptions
        {
            Zones = [new DnsZoneOptions { Name = "cdn.test", Hosts = ["video"], NameServers = [.. Enumerable.Range(10, 12).Select(i => new NameServerOptions { Name = $"ns{i}", Addresses = [$"192.0.2.{i}"] })] }],
        };
        var responder = new DnsResponder(DnsZoneSet.Build(options), new Cdn.ControlPlane.Steering.SteeringState(), 1232);
        var worker = new DnsWorker(new DnsCounters(shared: false));
        var buffer = new byte[4096];
        DnsMessage Ask(byte[] query) => DnsMessage.Parse(buffer.AsSpan(0, responder.Respond(query, buffer, ClientAddress.From(System.Net.IPAddress.Loopback), DnsTransport.Udp, worker)));

        var small = Ask(Query("cdn.test", DnsRecordType.Ns));
        Assert.False(small.Truncated);
        Assert.Equal(12, small.Answers.Count);
        Assert.Empty(small.Additional);

        var large = Ask(Query("cdn.test", DnsRecordType.Ns, edns: true));
        Assert.Equal(13, large.Additional.Count); // 12 glue + OPT
    }

    [Fact]
    public void A_name_server_inside_the_zone_answers_its_address()
        => Assert.Equal("192.0.2.53", Assert.Single(_dns.Ask(Query("ns1.cdn.test", DnsRecordType.A)).Answers).Address.ToString());

    [Fact]
    public void Any_at_a_steered_name_gives_both_families()
        => Assert.Equal(4, _dns.Ask(Query("video.cdn.test", DnsRecordType.Any), client: "10.1.0.1").Answers.Count);

    [Fact]
    public void Edns_version_above_zero_is_badvers_with_an_opt()
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.A, edns: true, version: 1));

        Assert.Equal((int)DnsResponseCode.BadVers, reply.ResponseCode);
        Assert.Equal(0u, (reply.Opt!.Ttl >> 16) & 0xFF); // we speak version 0
    }

    [Fact]
    public void The_opt_in_a_reply_advertises_our_payload_size_and_echoes_the_do_bit()
    {
        var reply = _dns.Ask(Query("video.cdn.test", DnsRecordType.A, edns: true, payload: 4096, dnssecOk: true));

        Assert.Equal(1232, reply.Opt!.Class);
        Assert.Equal(0x8000u, reply.Opt.Ttl & 0xFFFF);
    }

    [Fact]
    public void An_answer_too_big_for_512_bytes_is_truncated_without_edns_and_whole_with_a_bigger_buffer_or_tcp()
    {
        var dns = new ResponderHarness(40, [.. Enumerable.Range(1, 40).Select(i => ResponderHarness.Edge($"e{i:00}", "ams", $"2001:db8:a::{i:x}"))]);
        var query = Query("video.cdn.test", DnsRecordType.Aaaa);

        var udp = dns.Ask(query, client: "10.1.0.1");
        Assert.True(udp.Truncated);
        Assert.Empty(udp.Answers);
        Assert.Single(udp.Questions);

        var big = dns.Ask(Query("video.cdn.test", DnsRecordType.Aaaa, edns: true, payload: 4096), client: "10.1.0.1");
        Assert.False(big.Truncated);
        Assert.Equal(40, big.Answers.Count);

        var tcp = dns.Ask(query, client: "10.1.0.1", transport: DnsTransport.Tcp);
        Assert.False(tcp.Truncated);
        Assert.Equal(40, tcp.Answers.Count);
    }

    [Fact]
    public void A_query_with_two_questions_is_formerr()
    {
        var query = Query("video.cdn.test", DnsRecordType.A);
        query[5] = 2;

        Assert.Equal((int)DnsResponseCode.FormErr, _dns.Ask(query).ResponseCode);
    }

    [Fact]
    public void Trailing_bytes_after_the_question_are_formerr()
        => Assert.Equal((int)DnsResponseCode.FormErr, _dns.Ask([.. Query("video.cdn.test", DnsRecordType.A), 0, 0]).ResponseCode);

    [Fact]
    public void A_truncated_question_is_formerr()
        => Assert.Equal((int)DnsResponseCode.FormErr, _dns.Ask(Query("video.cdn.test", DnsRecordType.A)[..20]).ResponseCode);

    [Fact]
    public void Two_opt_records_are_formerr()
    {
        var query = Query("video.cdn.test", DnsRecordType.A, edns: true);
        var opt = query[^11..];
        byte[] doubled = [.. query, .. opt];
        doubled[11] = 2;

        Assert.Equal((int)DnsResponseCode.FormErr, _dns.Ask(doubled).ResponseCode);
    }

    [Fact]
    public void An_opcode_other_than_query_is_notimp()
    {
        var query = Query("video.cdn.test", DnsRecordType.A);
        query[2] |= 2 << 3; // STATUS

        Assert.Equal((int)DnsResponseCode.NotImp, _dns.Ask(query).ResponseCode);
    }

    [Fact]
    public void A_packet_shorter_than_a_header_or_a_response_gets_no_reply()
    {
        Assert.Empty(_dns.Raw([1, 2, 3]));
        var response = Query("video.cdn.test", DnsRecordType.A);
        response[2] |= 0x80;
        Assert.Empty(_dns.Raw(response));
    }

    [Fact]
    public void A_class_other_than_in_is_refused()
    {
        var query = Query("video.cdn.test", DnsRecordType.A);
        query[^1] = 3; // CHAOS

        Assert.Equal((int)DnsResponseCode.Refused, _dns.Ask(query).ResponseCode);
    }

    [Fact]
    public void Queries_are_counted_by_transport_code_and_type()
    {
        _dns.Ask(Query("nope.cdn.test", DnsRecordType.Aaaa));

        Assert.Equal(1, _dns.Counters.Queries[(((0 * DnsCounters.Codes) + 3) * DnsCounters.Types) + 1]);
    }
}
