using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cdn.Proxy.FastPath;

/// <summary>
/// Zero-copy body sends: sendfile(2) straight from the cached file descriptor to the socket. The socket is
/// non-blocking (the runtime's event loop owns it), so when its buffer fills sendfile returns EAGAIN and the
/// rest goes to <see cref="Socket.SendPacketsAsync"/> with a file element over the same descriptor — the
/// runtime then waits for writability and calls sendfile itself. (SERVING.md: Kestrel never calls sendfile;
/// path-based Socket.SendFileAsync leaks a descriptor and a flock per call; there is no public "wait until
/// writable".)
/// </summary>
internal static partial class Sendfile
{
    private const int EAGAIN = 11;
    private const int EINTR = 4;

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint Native(int outFd, int inFd, ref long offset, nuint count);

    /// <summary>Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>; counts each sendfile call.</summary>
    public static async ValueTask SendAsync(Socket socket, SafeFileHandle file, long offset, long count, Action onSendfile)
    {
        while (count > 0)
        {
            var sent = TrySend(socket, file, ref offset, count, out var errno);
            onSendfile();
            if (sent > 0)
            {
                count -= sent;
                continue;
            }

            if (sent == 0)
            {
                throw new IOException("body file is shorter than its index entry");
            }

            if (errno == EINTR)
            {
                continue;
            }

            if (errno != EAGAIN)
            {
                throw new IOException($"sendfile failed: errno {errno}");
            }

            // Socket buffer full: the runtime waits for writability and sends the rest (with sendfile).
            await SendPacketsAsync(socket, file, offset, count);
            onSendfile();
            return;
        }
    }

    private static long TrySend(Socket socket, SafeFileHandle file, ref long offset, long count, out int errno)
    {
        var socketRef = false;
        var fileRef = false;
        try
        {
            socket.SafeHandle.DangerousAddRef(ref socketRef);
            file.DangerousAddRef(ref fileRef);
            var result = Native((int)socket.SafeHandle.DangerousGetHandle(), (int)file.DangerousGetHandle(), ref offset, (nuint)Math.Min(count, 1L << 30));
            errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            return result;
        }
        finally
        {
            if (fileRef)
            {
                file.DangerousRelease();
            }

            if (socketRef)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private static async Task SendPacketsAsync(Socket socket, SafeFileHandle file, long offset, long count)
    {
        var added = false;
        file.DangerousAddRef(ref added);
        try
        {
            // SendPacketsElement wants a FileStream opened for asynchronous I/O, which a wrapper around our
            // descriptor cannot claim. /proc/self/fd/N reopens the very same open file — even renamed (a fill
            // being published) or unlinked (an evicted body) — at the cost of one open(2) per would-block.
            using var stream = new FileStream($"/proc/self/fd/{(int)file.DangerousGetHandle()}", FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
            var elements = new List<SendPacketsElement>();
            while (count > 0)
            {
                var part = (int)Math.Min(count, int.MaxValue);
                elements.Add(new SendPacketsElement(stream, offset, part));
                offset += part;
                count -= part;
            }

            using var args = new SocketAsyncEventArgs { SendPacketsElements = [.. elements] };
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            args.Completed += (_, e) => Complete(e, completion);
            if (!socket.SendPacketsAsync(args))
            {
                Complete(args, completion);
            }

            await completion.Task;
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private static void Complete(SocketAsyncEventArgs args, TaskCompletionSource completion)
    {
        if (args.SocketError == SocketError.Success)
        {
            completion.TrySetResult();
        }
        else
        {
            completion.TrySetException(new IOException($"send failed: {args.SocketError}"));
        }
    }
}
