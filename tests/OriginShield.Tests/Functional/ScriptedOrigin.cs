using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OriginShield.Tests.Functional;

/// <summary>
/// An origin on a raw socket that answers each request with whatever bytes a test scripts — including what
/// no HTTP server library will send: bodies shorter or longer than their Content-Length, resets mid-body.
/// </summary>
public sealed class ScriptedOrigin : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly ConcurrentDictionary<string, Func<Socket, Task>> _scripts = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ScriptedOrigin()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(128);
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <summary>Answers <paramref name="path"/> with <paramref name="script"/>, which writes to the raw connection.</summary>
    public void Script(string path, Func<Socket, Task> script) => _scripts[path] = script;

    /// <summary>Head and body bytes, then the connection closes normally (FIN).</summary>
    public static Func<Socket, Task> Send(string head, byte[] body) => async socket =>
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n"));
        await socket.SendAsync(body);
    };

    /// <summary>Head and part of the body, then a TCP reset.</summary>
    public static Func<Socket, Task> Reset(string head, byte[] bodyPart) => async socket =>
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n"));
        await socket.SendAsync(bodyPart);
        await Task.Delay(50);
        socket.LingerState = new LingerOption(true, 0);
        socket.Close(); // with a zero linger: RST, no FIN
    };

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.Latin1.GetString(buffer, 0, n));
                }

                var target = head.ToString().Split(' ', 3)[1];
                var path = target.Split('?')[0];
                _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
                if (_scripts.TryGetValue(path, out var script))
                {
                    await script(connection);
                }
                else
                {
                    await Send("HTTP/1.1 404 Not Found\nContent-Length: 0\nConnection: close\n", [])(connection);
                }

                connection.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
