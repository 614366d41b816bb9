using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Packager.Jobs;

namespace Packager.Notification;

/// <summary>
/// Tells the control plane about published titles. Pending notifications live in the job store, so one that
/// failed (control plane down, rejected) is retried with exponential backoff until accepted, across restarts
/// and by any worker sharing the store. Delivery is at least once: a crash between the control plane's answer
/// and the bookkeeping resends it, which the catalog treats as an upsert of the same title.
/// </summary>
internal sealed class NotificationService : BackgroundService
{
    private readonly JobStore _store;
    private readonly ControlPlaneClient _client;
    private readonly LiveOptions<ControlPlaneOptions> _options;
    private readonly PackagerOptions _packager;
    private readonly WakeSignal _signal;
    private readonly JobMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationService> _logger;

    public NotificationService(
        JobStore store,
        ControlPlaneClient client,
        LiveOptions<ControlPlaneOptions> options,
        IOptions<PackagerOptions> packager,
        NotificationSignal signal,
        JobMetrics metrics,
        TimeProvider time,
        ILogger<NotificationService> logger)
    {
        _store = store;
        _client = client;
        _options = options;
        _packager = packager.Value;
        _signal = signal.Signal;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await SendNextAsync(stoppingToken))
                {
                    await _signal.WaitAsync(_packager.PollInterval, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (System.Data.Common.DbException ex)
            {
                NotificationLog.LoopError(_logger, ex);
                if (!await Pause.ForAsync(_packager.PollInterval, _time, stoppingToken))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Sends the next due notification; false when none was due.</summary>
    internal async Task<bool> SendNextAsync(CancellationToken cancellationToken)
    {
        var options = _options.Current;
        if (!options.Enabled)
        {
            return false;
        }

        var job = await _store.ClaimNotificationAsync(options.RequestTimeout * 2, cancellationToken);
        if (job is null)
        {
            return false;
        }

        if (job.Result is null)
        {
            await _store.RecordNotificationAsync(job.Id, "the job has no stored result to announce", _time.GetUtcNow() + options.MaxRetryDelay, cancellationToken);
            return true;
        }

        var error = await _client.NotifyAsync(options, job.Result.ToTitlePublished(), cancellationToken);
        _metrics.Notification(error is null);
        if (error is null)
        {
            await _store.RecordNotificationAsync(job.Id, null, null, cancellationToken);
            NotificationLog.Accepted(_logger, job.TitleId, job.Id);
        }
        else
        {
            var delay = Backoff.Delay(job.NotifyAttempts + 1, options.RetryDelay, options.MaxRetryDelay);
            await _store.RecordNotificationAsync(job.Id, error, _time.GetUtcNow() + delay, cancellationToken);
            NotificationLog.Rejected(_logger, job.TitleId, job.Id, job.NotifyAttempts + 1, error, delay);
        }

        return true;
    }
}
