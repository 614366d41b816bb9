using Microsoft.Extensions.Hosting;

namespace Cdn.Hosting.Metrics;

/// <summary>
/// Creates the exporter before any hosted service (the server included) starts, so no measurement made
/// after start-up is lost — a MeterListener only sees what is recorded while it listens.
/// </summary>
internal sealed class MetricsStartup : IHostedLifecycleService
{
    private readonly IServiceProvider _services;

    public MetricsStartup(IServiceProvider services) => _services = services;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = _services.GetService(typeof(PrometheusExporter));
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
