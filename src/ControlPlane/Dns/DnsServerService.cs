using System.Net;
using System.Net.Sockets;
using Cdn.ControlPlane.Steering;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Dns;

/// <summary>
/// Starts the UDP and TCP DNS servers on the configured endpoint and swaps in new zones when the
/// configuration is reloaded (a listen-address change needs a restart and is logged as such).
/// </summary>
internal sealed class DnsServerService : IHostedService, IAsyncDisposable
{
    private readonly LiveOptions<DnsOptions> _options;
    private readonly SteeringState _steering;
    private readonly ControlPlaneMetrics _metrics;
    private readonly ILogger<DnsServerService> _logger;
    private UdpDnsServer? _udp;
    private TcpDnsServer? _tcp;
    private DnsOptions? _started;

    public DnsServerService(LiveOptions<DnsOptions> options, SteeringState steering, ControlPlaneMetrics metrics, ILogger<DnsServerService> logger)
    {
        _options = options;
        _steering = steering;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The bound endpoint (after start), port included.</summary>
    public IPEndPoint? EndPoint { get; private set; }

    public DnsResponder? Responder { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = _options.Current;
        if (!options.Enabled)
        {
            return Task.CompletedTask;
        }

        _started = options;
        Responder = new DnsResponder(DnsZoneSet.Build(options), _steering, options.UdpPayloadSize);
        var threads = options.UdpThreads == 0 ? Environment.ProcessorCount : options.UdpThreads;
        // Port 0 (tests) lets UDP pick a port; TCP then needs the same one, which may be taken: try again.
        for (var attempt = 1; ; attempt++)
        {
            _udp = new UdpDnsServer(Responder, _logger, options.UdpBatchSize);
            EndPoint = _udp.Start(options.Listen.EndPoint, threads);
            _tcp = new TcpDnsServer(Responder, () => _options.Current, _logger);
            try
            {
                _tcp.Start(EndPoint);
                break;
            }
            catch (SocketException) when (options.Listen.Port == 0 && attempt < 10)
            {
                _udp.Dispose();
                _tcp.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        foreach (var counters in _udp.Counters)
        {
            _metrics.Track(counters);
        }

        _metrics.Track(_tcp.Counters);
        _options.Changed += OnOptionsChanged;
        DnsLog.Listening(_logger, EndPoint.ToString(), threads, ZoneNames(options));
        return Task.CompletedTask;
    }

    private void OnOptionsChanged(DnsOptions options)
    {
        if (Responder is null || _started is null)
        {
            return;
        }

        Responder.Publish(DnsZoneSet.Build(options), options.UdpPayloadSize);
        DnsLog.ZonesReloaded(_logger, ZoneNames(options));
        if (options.Listen.Address != _started.Listen.Address || options.Listen.Port != _started.Listen.Port || options.UdpThreads != _started.UdpThreads)
        {
            DnsLog.ListenChangeNeedsRestart(_logger);
        }
    }

    private static string ZoneNames(DnsOptions options)
    {
        var names = new List<string>();
        foreach (var zone in options.Zones)
        {
            names.Add(zone.Qualify("@"));
        }

        return string.Join(", ", names);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _options.Changed -= OnOptionsChanged;
        _udp?.Dispose();
        _udp = null;
        if (_tcp is not null)
        {
            await _tcp.DisposeAsync();
            _tcp = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
