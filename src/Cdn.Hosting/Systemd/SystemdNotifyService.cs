using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.Hosting.Systemd;

/// <summary>
/// Tells systemd READY=1 once every hosted service has started (listeners bound, index recovered),
/// STOPPING=1 when shutdown begins, and pings WATCHDOG=1 at half the watchdog interval from a timer, so a
/// wedged process (starved thread pool, deadlock) misses pings and gets restarted.
/// </summary>
internal sealed class SystemdNotifyService : IHostedLifecycleService, IDisposable
{
    private readonly SystemdNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly ILogger<SystemdNotifyService> _logger;
    private ITimer? _watchdog;

    public SystemdNotifyService(SystemdNotifier notifier, TimeProvider time, ILogger<SystemdNotifyService> logger)
    {
        _notifier = notifier;
        _time = time;
        _logger = logger;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        Send("READY=1");
        Send($"MAINPID={Environment.ProcessId}");
        var interval = SystemdNotifier.WatchdogInterval();
        if (interval is { } every && _notifier.IsEnabled)
        {
            var period = every / 2;
            HostingLog.WatchdogEnabled(_logger, period);
            _watchdog = _time.CreateTimer(_ => Send("WATCHDOG=1", log: false), null, TimeSpan.Zero, period);
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        Send("STOPPING=1");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _watchdog?.Dispose();
        return Task.CompletedTask;
    }

    private void Send(string state, bool log = true)
    {
        try
        {
            if (_notifier.Notify(state) && log)
            {
                HostingLog.SystemdNotified(_logger, state);
            }
        }
        catch (SocketException ex)
        {
            HostingLog.SystemdNotifyFailed(_logger, _notifier.SocketAddress ?? "", ex.Message);
        }
    }

    public void Dispose() => _watchdog?.Dispose();
}
