using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Dns;

/// <summary>
/// UDP DNS on dedicated threads, one SO_REUSEPORT socket each so the kernel spreads packets across them
/// without a shared queue. On 64-bit Linux each thread moves datagrams in batches with recvmmsg/sendmmsg
/// (<see cref="LinuxMessageBatch"/>, <see cref="DnsOptions.UdpBatchSize"/>); elsewhere, or with a batch
/// size of 1, it uses <c>Socket.ReceiveFrom</c>/<c>SendTo</c> with a reused <see cref="SocketAddress"/>.
/// Either loop allocates nothing per datagram (bench: Cdn.Benchmarks Dns.DnsResponderBenchmarks, and
/// dnsperf against Knot in bench/dns, where batching took us from 0.96× to 1.2× Knot's rate).
/// </summary>
internal sealed class UdpDnsServer : IDisposable
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly DnsResponder _responder;
    private readonly ILogger _logger;
    private readonly List<Socket> _sockets = [];
    private readonly List<Thread> _threads = [];
    private readonly int _batch;
    private volatile bool _stopping;

    public UdpDnsServer(DnsResponder responder, ILogger logger, int batch)
    {
        _responder = responder;
        _logger = logger;
        _batch = batch;
    }

    /// <summary>Counters of each thread, for metrics.</summary>
    public List<DnsCounters> Counters { get; } = [];

    /// <summary>Binds <paramref name="threads"/> sockets to <paramref name="endPoint"/> (port 0: one free port for all) and starts them.</summary>
    public IPEndPoint Start(IPEndPoint endPoint, int threads)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var bound = endPoint;
        for (var i = 0; i < threads; i++)
        {
            var socket = new Socket(bound.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (bound.AddressFamily == AddressFamily.InterNetworkV6 && bound.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            // Big socket buffers absorb bursts while a thread is descheduled on a busy box.
            socket.ReceiveBufferSize = 4 << 20;
            socket.SendBufferSize = 4 << 20;
            // Lets a thread notice shutdown; a blocked recvfrom is not woken by close on every kernel.
            socket.ReceiveTimeout = 250;
            socket.Bind(bound);
            bound = (IPEndPoint)socket.LocalEndPoint!;
            _sockets.Add(socket);
        }

        for (var i = 0; i < _sockets.Count; i++)
        {
            var counters = new DnsCounters(shared: false);
            Counters.Add(counters);
            var socket = _sockets[i];
            var worker = new DnsWorker(counters);
            var thread = new Thread(() =>
            {
                if (_batch > 1 && LinuxMessageBatch.IsSupported)
                {
                    RunBatched(socket, worker);
                }
                else
                {
                    Run(socket, worker);
                }
            })
            {
                IsBackground = true,
                Name = $"dns-udp-{i}",
            };
            _threads.Add(thread);
            thread.Start();
        }

        return bound;
    }

    private void Run(Socket socket, DnsWorker worker)
    {
        var receive = GC.AllocateUninitializedArray<byte>(DnsResponder.MaxMessage, pinned: true);
        var send = GC.AllocateUninitializedArray<byte>(4096, pinned: true);
        var peer = new SocketAddress(socket.AddressFamily);
        while (!_stopping)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(receive, SocketFlags.None, peer);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                continue;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize or SocketError.NoBufferSpaceAvailable)
            {
                continue; // ICMP errors from earlier sends, oversized datagrams: not ours to stop for
            }
            catch (SocketException ex) when (_stopping || ex.SocketErrorCode == SocketError.OperationAborted)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            int reply;
            try
            {
                reply = _responder.Respond(receive.AsSpan(0, length), send, ClientAddress.From(peer), DnsTransport.Udp, worker);
            }
            catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or InvalidOperationException)
            {
                DnsLog.ResponderFailed(_logger, ex, length);
                continue;
            }

            if (reply == 0)
            {
                continue;
            }

            try
            {
                socket.SendTo(send.AsSpan(0, reply), SocketFlags.None, peer);
            }
            catch (SocketException ex)
            {
                DnsLog.UdpSocketError(_logger, ex.Message);
            }
            catch (ObjectDisposedException)
            {
                break;
            }
        }
    }

    /// <summary>The batched loop: one recvmmsg, every reply built, one sendmmsg.</summary>
    private void RunBatched(Socket socket, DnsWorker worker)
    {
        using var batch = new LinuxMessageBatch(_batch);
        var handle = socket.Handle;
        while (!_stopping)
        {
            var received = batch.Receive(handle);
            if (received <= 0)
            {
                if (received < 0)
                {
                    break;
                }

                continue;
            }

            var replies = 0;
            for (var i = 0; i < received; i++)
            {
                var query = batch.Query(i);
                if (query.IsEmpty)
                {
                    worker.Counters.CountDropped();
                    continue;
                }

                int length;
                try
                {
                    length = _responder.Respond(query, batch.ReplyBuffer(i), ClientAddress.FromSockaddr(batch.Sender(i)), DnsTransport.Udp, worker);
                }
                catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or InvalidOperationException)
                {
                    DnsLog.ResponderFailed(_logger, ex, query.Length);
                    continue;
                }

                if (length > 0)
                {
                    batch.QueueReply(replies++, i, length);
                }
            }

            if (replies > 0 && !batch.Send(handle, replies))
            {
                break;
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }
}
