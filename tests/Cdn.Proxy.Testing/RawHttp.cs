using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cdn.Proxy.Testing;

/// <summary>A raw HTTP/1.1 client on a TCP socket, for what HttpClient will not send (malformed, pipelined, slow).</summary>
public sealed class RawHttp : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly MemoryStream _pending = new();

    public RawHttp(int port) => _socket.Connect(IPAddress.Loopback, port);

    public Socket Socket => _socket;

    public void Send(string text) => _socket.Send(Encoding.Latin1.GetBytes(text));

    public sealed record Response(int Status, Dictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    /// <summary>Reads one response (Content-Length, chunked, or until close).</summary>
    public async Task<Response> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var head = await ReadUntilAsync("\r\n\r\n"u8.ToArray(), cts.Token);
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? $"{existing}, {value}" : value;
        }

        byte[] body;
        if (status is 204 or 304 || (status >= 100 && status < 200))
        {
            body = [];
        }
        else if (headers.TryGetValue("Content-Length", out var length))
        {
            body = await ReadExactlyAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), cts.Token);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var all = new MemoryStream();
            while (true)
            {
                var sizeLine = Encoding.Latin1.GetString(await ReadUntilAsync("\r\n"u8.ToArray(), cts.Token)).Trim();
                var size = Convert.ToInt32(sizeLine, 16);
                var chunk = await ReadExactlyAsync(size + 2, cts.Token);
                if (size == 0)
                {
                    break;
                }

                all.Write(chunk, 0, size);
            }

            body = all.ToArray();
        }
        else
        {
            body = await ReadToEndAsync(cts.Token);
        }

        return new Response(status, headers, body);
    }

    /// <summary>Reads what the server sends until it closes; returns true if it closed within the timeout.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await ReadToEndAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<byte[]> ReadUntilAsync(byte[] delimiter, CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffer = _pending.ToArray();
            var at = buffer.AsSpan().IndexOf(delimiter);
            if (at >= 0)
            {
                Keep(buffer, at + delimiter.Length);
                return buffer[..at];
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        while (_pending.Length < count)
        {
            await FillAsync(cancellationToken);
        }

        var buffer = _pending.ToArray();
        Keep(buffer, count);
        return buffer[..count];
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var chunk = new byte[65536];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(chunk, SocketFlags.None, cancellationToken);
            }
            catch (SocketException)
            {
                n = 0;
            }

            if (n == 0)
            {
                var all = _pending.ToArray();
                _pending.SetLength(0);
                return all;
            }

            _pending.Write(chunk, 0, n);
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        var chunk = new byte[65536];
        var n = await _socket.ReceiveAsync(chunk, SocketFlags.None, cancellationToken);
        if (n == 0)
        {
            throw new IOException("server closed the connection");
        }

        _pending.Write(chunk, 0, n);
    }

    private void Keep(byte[] buffer, int from)
    {
        _pending.SetLength(0);
        _pending.Write(buffer, from, buffer.Length - from);
    }

    public void Dispose() => _socket.Dispose();
}
