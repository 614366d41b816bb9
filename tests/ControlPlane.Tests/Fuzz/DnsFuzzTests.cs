using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cdn.ControlPlane.Dns;
using Cdn.ControlPlane.Dns.Wire;
using Cdn.ControlPlane.Tests.Support;
using Xunit.Abstractions;

namespace Cdn.ControlPlane.Tests.Fuzz;

/// <summary>Robustness: a million random and mutated packets in process, thousands at the live sockets.</summary>
[Collection(SerialCollection.Name)]
public sealed class DnsFuzzTests
{
    private const int InProcessPackets = 1_000_000;
    private readonly ITestOutputHelper _output;

    public DnsFuzzTests(ITestOutputHelper output) => _output = output;

    /// <summary>Checks one reply: it parses whole, answers the query's id, is a response, and fits the transport.</summary>
    private static void CheckReply(byte[] query, ReadOnlySpan<byte> reply, DnsTransport transport, int seed, int index)
    {
        try
        {
            var message = DnsMessage.Parse(reply);
            Assert.True(message.IsResponse);
            Assert.Equal(DnsHeader.Id(query), message.Id);
            Assert.True(message.Questions.Count <= 1);
            if (transport == DnsTransport.Udp)
            {
                Assert.True(reply.Length <= 4096);
            }
        }
        catch (Exception ex) when (ex is FormatException or Xunit.Sdk.XunitException)
        {
            Assert.Fail($"seed {seed} packet {index}: bad reply to {Convert.ToHexString(query)}: {ex.Message}\nreply {Convert.ToHexString(reply)}");
        }
    }

    [Fact]
    public void A_million_random_and_mutated_packets_get_no_crash_and_only_well_formed_replies()
    {
        const int Seed = 20261121;
        var dns = new ResponderHarness(8);
        var mutator = new PacketMutator(Seed);
        var reply = new byte[DnsResponder.MaxMessage];
        string[] clients = ["10.1.2.3", "10.2.5.1", "127.0.0.1", "2001:db8:1::1", "::ffff:10.1.0.1", "192.0.2.1"];
        var replies = 0;
        var codes = new int[32];
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < InProcessPackets; i++)
        {
            var query = mutator.Next();
            var transport = (i & 7) == 0 ? DnsTransport.Tcp : DnsTransport.Udp;
            var client = ClientAddress.From(IPAddress.Parse(clients[i % clients.Length]));
            var length = dns.Responder.Respond(query, transport == DnsTransport.Udp ? reply.AsSpan(0, 4096) : reply, client, transport, new DnsWorker(dns.Counters));
            if (length > 0)
            {
                replies++;
                codes[DnsMessage.Parse(reply.AsSpan(0, length)).ResponseCode & 31]++;
                CheckReply(query, reply.AsSpan(0, length), transport, Seed, i);
            }
        }

        _output.WriteLine($"{InProcessPackets} packets, {replies} replies in {watch.Elapsed.TotalSeconds:F1}s; NOERROR {codes[0]}, FORMERR {codes[1]}, NXDOMAIN {codes[3]}, NOTIMP {codes[4]}, REFUSED {codes[5]}, BADVERS {codes[16]}");
        Assert.True(replies > InProcessPackets / 2, "most packets should be answerable");
        Assert.True(codes[0] > 0 && codes[1] > 0 && codes[3] > 0 && codes[5] > 0, "the corpus must reach every branch");
    }

    [Fact]
    public async Task Thousands_of_fuzzed_packets_at_the_live_udp_and_tcp_ports_get_well_formed_replies_and_the_server_keeps_answering()
    {
        const int Seed = 7;
        const int UdpPackets = 5000;
        await using var host = await ControlPlaneHost.StartAsync(c => c["Health"]!["HeartbeatInterval"] = "00:01:00");
        await host.RegisterAsync("edge-ams-1", "ams", Contracts.Nodes.NodeRole.Edge, "10.10.0.1", "2001:db8:a::1");
        await host.HeartbeatAsync("edge-ams-1");
        var mutator = new PacketMutator(Seed);

        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.ReceiveBufferSize = 8 << 20;
        await udp.ConnectAsync(IPAddress.Loopback, host.DnsPort);
        var sent = new Dictionary<ushort, byte[]>();
        var received = 0;
        var buffer = new byte[65535];
        for (var batch = 0; batch < UdpPackets / 100; batch++)
        {
            for (var i = 0; i < 100; i++)
            {
                var query = mutator.Next();
                if (query.Length >= 2)
                {
                    // ids unique over the whole run, so a late reply still finds its query
                    query[0] = (byte)batch;
                    query[1] = (byte)i;
                    sent[DnsHeader.Id(query)] = query;
                }

                await udp.SendAsync(query, SocketFlags.None);
            }

            while (true)
            {
                using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
                int n;
                try
                {
                    n = await udp.ReceiveAsync(buffer, SocketFlags.None, quiet.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                received++;
                var reply = buffer.AsSpan(0, n);
                Assert.True(n >= 12, "a reply shorter than a header");
                Assert.True(sent.TryGetValue(DnsHeader.Id(reply), out var query), "a reply to no query we sent");
                CheckReply(query!, reply, DnsTransport.Udp, Seed, received);
            }
        }

        _output.WriteLine($"UDP: {UdpPackets} packets sent, {received} well-formed replies");
        Assert.True(received > UdpPackets / 2);

        // TCP: framed fuzz on a few connections; the server may close a connection on an unanswerable message.
        var tcpReplies = 0;
        for (var connection = 0; connection < 20; connection++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await tcp.ConnectAsync(IPAddress.Loopback, host.DnsPort);
            for (var i = 0; i < 50; i++)
            {
                var query = mutator.Next();
                if (query.Length == 0 || query.Length > 65535)
                {
                    continue;
                }

                byte[] framed = [(byte)(query.Length >> 8), (byte)query.Length, .. query];
                try
                {
                    await tcp.SendAsync(framed, SocketFlags.None);
                    var header = new byte[2];
                    if (await ReadAsync(tcp, header) == 0)
                    {
                        break;
                    }

                    var reply = new byte[(header[0] << 8) | header[1]];
                    Assert.Equal(reply.Length, await ReadAsync(tcp, reply));
                    CheckReply(query, reply, DnsTransport.Tcp, Seed, i);
                    tcpReplies++;
                }
                catch (SocketException)
                {
                    break; // closed by the server after a message it would not answer
                }
            }
        }

        _output.WriteLine($"TCP: {tcpReplies} well-formed replies");
        Assert.True(tcpReplies > 100);

        var check = await DigTool.Dig().QueryAsync(host.DnsPort, "video.cdn.test", "A", "+subnet=10.1.0.0/16");
        Assert.Equal(["10.10.0.1"], check.Addresses);
    }

    private static async Task<int> ReadAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                return read;
            }

            read += n;
        }

        return read;
    }
}
