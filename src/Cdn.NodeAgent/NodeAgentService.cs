using System.Net;
using System.Security.Cryptography;
using Cdn.Contracts.Nodes;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.NodeAgent;

/// <summary>
/// Registers the node at start, then heartbeats every interval with the daemon's <see cref="INodeReporter"/>
/// report. Runs in the background: start never waits for the control plane, so the daemon serves whether or
/// not it is reachable; failures back off exponentially (with jitter) up to <see cref="NodeAgentOptions.RetryMax"/>.
/// A 404 on a heartbeat (control plane lost its state) re-registers. When the host begins to stop, one last
/// heartbeat says Draining=true so no new players are sent while the node finishes: it goes out from
/// <see cref="StoppingAsync"/>, which the host runs before any hosted service stops — before the web server
/// stops accepting connections and waits for in-flight responses.
/// </summary>
internal sealed class NodeAgentService : IHostedLifecycleService, IAsyncDisposable
{
    private readonly ControlPlaneClient _client;
    private readonly INodeReporter _reporter;
    private readonly LiveOptions<NodeAgentOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeAgentService> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private Task? _goodbye;
    private TimeSpan _interval;
    private int _disposed;

    public NodeAgentService(ControlPlaneClient client, INodeReporter reporter, LiveOptions<NodeAgentOptions> options, NodeAgentStatus status, TimeProvider time, ILogger<NodeAgentService> logger)
    {
        _client = client;
        _reporter = reporter;
        _options = options;
        Status = status;
        _time = time;
        _logger = logger;
        _interval = options.Current.HeartbeatInterval ?? TimeSpan.FromSeconds(5);
    }

    public NodeAgentStatus Status { get; }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The host calls these one after another, never concurrently: the goodbye goes out once, from whichever
    // comes first (StoppingAsync under a host; StopAsync alone when a caller drives the service directly).
    public Task StoppingAsync(CancellationToken cancellationToken) => _goodbye ??= SayGoodbyeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _goodbye ??= SayGoodbyeAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                if (!Status.Registered)
                {
                    await RegisterAsync(cancellationToken);
                }

                await HeartbeatAsync(draining: false, cancellationToken);
                Succeeded();
                delay = _interval;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ControlPlaneException ex) when (ex.IsNotFound && Status.Registered)
            {
                NodeAgentLog.Forgotten(_logger, _options.Current.NodeId);
                Status.Registered = false;
                delay = TimeSpan.Zero;
            }
            catch (Exception ex) when (ex is HttpRequestException or ControlPlaneException or OperationCanceledException or IOException or System.Text.Json.JsonException)
            {
                delay = Failed(ex);
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var o = _options.Current;
        var registration = new NodeRegistration(o.NodeId, o.Role, o.Site, [.. o.Addresses], o.CapacityGbps,
            o.AdminUrl is null ? null : new Uri(o.AdminUrl), typeof(NodeAgentService).Assembly.GetName().Version?.ToString() ?? "0",
            o.CacheUrl is null ? null : new Uri(o.CacheUrl));
        using var timeout = Timeout(cancellationToken);
        NodeRegistrationAccepted accepted;
        try
        {
            accepted = await _client.RegisterAsync(registration, timeout.Token);
        }
        catch (ControlPlaneException ex) when (ex.Status == HttpStatusCode.BadRequest)
        {
            NodeAgentLog.Rejected(_logger, ex.Message);
            throw;
        }

        _interval = o.HeartbeatInterval ?? accepted.HeartbeatInterval;
        Status.Registered = true;
        NodeAgentLog.Registered(_logger, o.NodeId, o.Site, _interval);
    }

    private async Task HeartbeatAsync(bool draining, CancellationToken cancellationToken)
    {
        var report = await _reporter.CollectAsync(cancellationToken);
        var heartbeat = new NodeHeartbeat(_options.Current.NodeId, _time.GetUtcNow(), report.Health, report.Load, report.Cache, report.Popularity, draining);
        using var timeout = Timeout(cancellationToken);
        var accepted = await _client.HeartbeatAsync(heartbeat, timeout.Token);
        Status.HeartbeatsSent++;
        Status.FillPlanVersion = accepted.FillPlanVersion;
        if (Status.State != accepted.State)
        {
            NodeAgentLog.StateChanged(_logger, accepted.State);
            Status.State = accepted.State;
        }
    }

    private CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_options.Current.RequestTimeout);
        return cts;
    }

    private void Succeeded()
    {
        Status.ConsecutiveFailures = 0;
        Status.LastError = null;
        Status.LastSuccess = _time.GetUtcNow();
    }

    private TimeSpan Failed(Exception ex)
    {
        var o = _options.Current;
        Status.ConsecutiveFailures++;
        Status.LastError = ex.Message;
        var exponent = Math.Min(Status.ConsecutiveFailures - 1, 16);
        var backoff = TimeSpan.FromTicks(Math.Min(o.RetryMax.Ticks, o.RetryMin.Ticks * (1L << exponent)));
        // ±20% jitter so a fleet that lost the control plane together does not return in lockstep.
        var jitter = 0.8 + (RandomNumberGenerator.GetInt32(0, 401) / 1000.0);
        var delay = TimeSpan.FromTicks((long)(backoff.Ticks * jitter));
        NodeAgentLog.CallFailed(_logger, Status.ConsecutiveFailures, delay, ex.Message);
        return delay;
    }

    private async Task SayGoodbyeAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
            _loop = null;
        }

        if (!Status.Registered)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Current.StopTimeout);
        try
        {
            await HeartbeatAsync(draining: true, timeout.Token);
            NodeAgentLog.SaidGoodbye(_logger);
        }
        catch (Exception ex) when (ex is HttpRequestException or ControlPlaneException or OperationCanceledException or IOException)
        {
            NodeAgentLog.GoodbyeFailed(_logger, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this once as a singleton and once as the hosted service it also is.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }
}
