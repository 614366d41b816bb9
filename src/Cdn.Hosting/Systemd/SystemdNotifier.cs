using System.Net.Sockets;
using System.Text;

namespace Cdn.Hosting.Systemd;

/// <summary>
/// Speaks the sd_notify protocol: one datagram per state change to the unix socket systemd names in
/// <c>$NOTIFY_SOCKET</c> (a path, or an abstract name when it starts with '@').
/// Microsoft.Extensions.Hosting.Systemd is not restorable here, hence our own.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _sendLock = new();

    /// <summary>Reads <c>$NOTIFY_SOCKET</c>; when it is unset the notifier does nothing.</summary>
    public SystemdNotifier()
        : this(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))
    {
    }

    /// <summary>Uses the given socket address (null or empty: disabled).</summary>
    public SystemdNotifier(string? socketAddress)
    {
        SocketAddress = socketAddress;
        if (string.IsNullOrEmpty(socketAddress))
        {
            return;
        }

        var path = socketAddress[0] == '@' ? "\0" + socketAddress[1..] : socketAddress;
        _endpoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The socket address from the environment, if any.</summary>
    public string? SocketAddress { get; }

    /// <summary>True when the service manager asked for notifications.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Sends one state string (e.g. <c>READY=1</c>); returns false when disabled.</summary>
    /// <exception cref="SocketException">The socket exists but the send failed.</exception>
    public bool Notify(string state)
    {
        if (_socket is null || _endpoint is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(state);
        lock (_sendLock)
        {
            _socket.SendTo(bytes, SocketFlags.None, _endpoint);
        }

        return true;
    }

    /// <summary>
    /// The watchdog interval systemd expects pings within (<c>$WATCHDOG_USEC</c>), or null when the watchdog
    /// is off or addressed to another process (<c>$WATCHDOG_PID</c>).
    /// </summary>
    public static TimeSpan? WatchdogInterval()
    {
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        if (!long.TryParse(usec, out var micros) || micros <= 0)
        {
            return null;
        }

        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString())
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(micros);
    }

    /// <inheritdoc />
    public void Dispose() => _socket?.Dispose();
}
