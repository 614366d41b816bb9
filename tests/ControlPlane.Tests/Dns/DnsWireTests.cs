using System.Net;
using Cdn.ControlPlane.Dns.Wire;
using Cdn.ControlPlane.Tests.Support;
using static Cdn.ControlPlane.Tests.Support.DnsQueryBuilder;

namespace Cdn.ControlPlane.Tests.Dns;

public sealed class DnsWireTests
{
    private static int Read(byte[] message, int offset, out string text, out int end)
    {
        var a = new byte[DnsName.MaxLength];
        var b = new byte[DnsName.MaxLength];
        var n = DnsName.Read(message, offset, a, b, out end);
        text = n < 0 ? "" : DnsName.ToText(b.AsSpan(0, n));
        return n;
    }

    [Fact]
    public void A_name_round_trips_through_text_and_wire_form()
    {
        var wire = DnsName.FromText("Video.CDN.test.");

        Assert.Equal("video.cdn.test.", DnsName.ToText(wire));
        Assert.Equal(16, wire.Length);
    }

    [Fact]
    public void A_backward_compression_pointer_is_followed()
    {
        // header(12) | "cdn.test" at 12 | "video" + pointer to 12
        byte[] message = [.. new byte[12], 3, (byte)'c', (byte)'d', (byte)'n', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 5, (byte)'v', (byte)'i', (byte)'d', (byte)'e', (byte)'o', 0xC0, 12];

        Assert.Equal(16, Read(message, 22, out var text, out var end));
        Assert.Equal("video.cdn.test.", text);
        Assert.Equal(message.Length, end);
    }

    [Fact]
    public void A_pointer_to_itself_is_rejected_rather_than_looping()
    {
        byte[] message = [.. new byte[12], 0xC0, 12];

        Assert.Equal(-1, Read(message, 12, out _, out _));
    }

    [Fact]
    public void A_pair_of_pointers_forming_a_loop_is_rejected()
    {
        byte[] message = [.. new byte[12], 0xC0, 14, 0xC0, 12];

        Assert.Equal(-1, Read(message, 12, out _, out _));
        Assert.Equal(-1, Read(message, 14, out _, out _));
    }

    [Fact]
    public void A_pointer_past_the_end_or_a_cut_label_is_rejected()
    {
        Assert.Equal(-1, Read([.. new byte[12], 0xC0], 12, out _, out _));
        Assert.Equal(-1, Read([.. new byte[12], 5, (byte)'a', (byte)'b'], 12, out _, out _));
        Assert.Equal(-1, Read([.. new byte[12], 3, (byte)'a', (byte)'b', (byte)'c'], 12, out _, out _));
    }

    [Fact]
    public void A_name_longer_than_255_bytes_is_rejected()
    {
        var labels = new List<byte>();
        for (var i = 0; i < 5; i++)
        {
            labels.Add(63);
            labels.AddRange(Enumerable.Repeat((byte)'a', 63));
        }

        labels.Add(0);
        Assert.Equal(-1, Read([.. new byte[12], .. labels], 12, out _, out _));
    }

    [Fact]
    public void Extended_label_types_are_rejected()
        => Assert.Equal(-1, Read([.. new byte[12], 0x41, 0], 12, out _, out _));

    [Fact]
    public void A_query_round_trips_through_the_parser()
    {
        var query = Query("Video.cdn.test", DnsRecordType.Aaaa, id: 77, edns: true, payload: 4096, subnet: Subnet6("2001:db8:1::", 48), dnssecOk: true);
        var original = new byte[255];
        var lower = new byte[255];

        var status = DnsQueryParser.Parse(query, original, lower, out var q);

        Assert.Equal(DnsParseStatus.Ok, status);
        Assert.Equal("Video.cdn.test.", DnsName.ToText(original.AsSpan(0, q.NameLength)));
        Assert.Equal("video.cdn.test.", DnsName.ToText(lower.AsSpan(0, q.NameLength)));
        Assert.Equal((DnsRecordType.Aaaa, DnsClass.In, (ushort)4096, true), (q.Type, q.Class, q.EdnsPayloadSize, q.DnssecOk));
        Assert.True(q.HasClientSubnet);
        Assert.Equal((ClientSubnet.FamilyIPv6, (byte)48), (q.ClientSubnet.Family, q.ClientSubnet.SourcePrefix));
        Assert.Equal(Cdn.ControlPlane.CoverageZones.AddressBits.From(IPAddress.Parse("2001:db8:1::")), q.ClientSubnet.Address);
    }

    [Fact]
    public void A_small_edns_payload_is_raised_to_512()
    {
        DnsQueryParser.Parse(Query("video.cdn.test", 1, edns: true, payload: 100), new byte[255], new byte[255], out var q);

        Assert.Equal(512, q.EdnsPayloadSize);
    }

    [Fact]
    public void Encoded_records_parse_back_to_what_was_encoded()
    {
        var soa = DnsRecordEncoder.SoaData(DnsName.FromText("ns1.cdn.test"), DnsName.FromText("hostmaster.cdn.test"), 7, 1, 2, 3, 4);
        var records = new List<byte[]>
        {
            DnsRecordEncoder.Address(DnsName.FromText("a.cdn.test"), IPAddress.Parse("192.0.2.1"), 30),
            DnsRecordEncoder.Address(DnsName.FromText("a.cdn.test"), IPAddress.Parse("2001:db8::1"), 31),
            DnsRecordEncoder.Record(DnsName.FromText("cdn.test"), DnsRecordType.Soa, 3600, soa),
        };
        byte[] header = [0, 9, 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0];

        var message = DnsMessage.Parse([.. header, .. DnsRecordEncoder.Concat(records)]);

        Assert.Equal(["192.0.2.1", "2001:db8::1"], message.Answers.Take(2).Select(a => a.Address.ToString()));
        Assert.Equal([30u, 31u, 3600u], message.Answers.Select(a => a.Ttl));
        Assert.Equal("cdn.test.", message.Answers[2].Name);
    }

    [Fact]
    public void Text_with_an_empty_or_overlong_label_is_not_a_name()
    {
        Assert.Throws<FormatException>(() => DnsName.FromText("a..b"));
        Assert.Throws<FormatException>(() => DnsName.FromText(new string('a', 64) + ".test"));
    }
}
