using System.Runtime.InteropServices;

namespace Cdn.ControlPlane.Dns;

/// <summary>
/// recvmmsg(2)/sendmmsg(2) over native buffers: one system call moves up to <see cref="Size"/> datagrams
/// each way, which is what lets a UDP DNS server keep up with Knot (bench/dns/run-dnsperf.sh; the
/// per-datagram <c>Socket.ReceiveFrom</c>/<c>SendTo</c> path spends most of its time in the two syscalls,
/// the responder itself takes about 130 ns: Cdn.Benchmarks Dns.DnsResponderBenchmarks). 64-bit Linux only; layouts below are
/// the LP64 <c>struct iovec</c>, <c>struct msghdr</c> and <c>struct mmsghdr</c>.
/// Owned by one thread; not thread-safe.
/// </summary>
internal sealed unsafe partial class LinuxMessageBatch : IDisposable
{
    /// <summary>Largest query accepted over UDP; a longer datagram arrives truncated and is dropped.</summary>
    public const int MaxDatagram = 4096;

    private const int SockaddrSize = 128; // sizeof(struct sockaddr_storage)
    private const int MsgWaitForOne = 0x10000;
    private const int MsgTrunc = 0x20;
    private const int EAgain = 11;
    private const int EIntr = 4;

    private readonly byte* _memory;
    private readonly MMsgHdr* _receive;
    private readonly MMsgHdr* _send;
    private readonly IoVec* _receiveIov;
    private readonly IoVec* _sendIov;
    private readonly byte* _addresses;
    private readonly byte* _queries;
    private readonly byte* _replies;

    public LinuxMessageBatch(int size)
    {
        Size = size;
        var total = (nuint)((2 * size * sizeof(MMsgHdr)) + (2 * size * sizeof(IoVec)) + (size * SockaddrSize) + (2 * size * MaxDatagram));
        _memory = (byte*)NativeMemory.AlignedAlloc(total, 64);
        NativeMemory.Clear(_memory, total);
        var p = _memory;
        _receive = (MMsgHdr*)p;
        p += size * sizeof(MMsgHdr);
        _send = (MMsgHdr*)p;
        p += size * sizeof(MMsgHdr);
        _receiveIov = (IoVec*)p;
        p += size * sizeof(IoVec);
        _sendIov = (IoVec*)p;
        p += size * sizeof(IoVec);
        _addresses = p;
        p += size * SockaddrSize;
        _queries = p;
        p += size * MaxDatagram;
        _replies = p;
        for (var i = 0; i < size; i++)
        {
            _receiveIov[i] = new IoVec { Base = _queries + (i * MaxDatagram), Length = MaxDatagram };
            _sendIov[i] = new IoVec { Base = _replies + (i * MaxDatagram), Length = 0 };
        }
    }

    /// <summary>True where this path works (64-bit Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    public int Size { get; }

    /// <summary>
    /// Waits for at least one datagram and takes whatever else is queued, up to <see cref="Size"/>.
    /// Returns the count, 0 on timeout or interruption, -1 when the socket is gone.
    /// </summary>
    public int Receive(nint socket)
    {
        for (var i = 0; i < Size; i++)
        {
            ref var header = ref _receive[i].Header;
            header.Name = _addresses + (i * SockaddrSize);
            header.NameLength = SockaddrSize;
            header.Iov = _receiveIov + i;
            header.IovLength = 1;
            header.Control = null;
            header.ControlLength = 0;
            header.Flags = 0;
            _receive[i].Length = 0;
        }

        var received = RecvMMsg((int)socket, _receive, (uint)Size, MsgWaitForOne, 0);
        if (received >= 0)
        {
            return received;
        }

        var error = Marshal.GetLastSystemError();
        return error is EAgain or EIntr ? 0 : -1;
    }

    /// <summary>Datagram <paramref name="index"/> of the last receive, or empty when it was truncated.</summary>
    public ReadOnlySpan<byte> Query(int index)
        => (_receive[index].Header.Flags & MsgTrunc) != 0 ? default : new ReadOnlySpan<byte>(_queries + (index * MaxDatagram), (int)_receive[index].Length);

    /// <summary>The sender of datagram <paramref name="index"/> as a raw sockaddr.</summary>
    public ReadOnlySpan<byte> Sender(int index) => new(_addresses + (index * SockaddrSize), (int)_receive[index].Header.NameLength);

    /// <summary>Where the reply to datagram <paramref name="index"/> is written.</summary>
    public Span<byte> ReplyBuffer(int index) => new(_replies + (index * MaxDatagram), MaxDatagram);

    /// <summary>Queues reply <paramref name="index"/> (of <paramref name="length"/> bytes) as the next one to send.</summary>
    public void QueueReply(int slot, int index, int length)
    {
        ref var header = ref _send[slot].Header;
        header.Name = _addresses + (index * SockaddrSize);
        header.NameLength = _receive[index].Header.NameLength;
        _sendIov[slot] = new IoVec { Base = _replies + (index * MaxDatagram), Length = (nuint)length };
        header.Iov = _sendIov + slot;
        header.IovLength = 1;
        header.Control = null;
        header.ControlLength = 0;
        header.Flags = 0;
    }

    /// <summary>Sends the first <paramref name="count"/> queued replies; returns false when the socket is gone.</summary>
    public bool Send(nint socket, int count)
    {
        var sent = 0;
        while (sent < count)
        {
            var n = SendMMsg((int)socket, _send + sent, (uint)(count - sent), 0);
            if (n > 0)
            {
                sent += n;
                continue;
            }

            var error = Marshal.GetLastSystemError();
            if (error is EAgain or EIntr)
            {
                continue;
            }

            if (n < 0 && error is 9 or 88)
            {
                return false; // EBADF, ENOTSOCK: closed
            }

            // A reply the kernel refuses (e.g. an unreachable peer): skip it, keep the rest.
            sent++;
        }

        return true;
    }

    public void Dispose() => NativeMemory.AlignedFree(_memory);

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMMsg(int socket, MMsgHdr* messages, uint count, int flags, nint timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMMsg(int socket, MMsgHdr* messages, uint count, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }
}
