using System.Collections.Concurrent;
using Cdn.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Packager.Jobs;

/// <summary>
/// The worker loops of this process (<c>Packager:Workers</c> of them): claim the next runnable job, run it,
/// repeat; idle loops wait for a submission in this process or poll the shared store. On stop, running jobs
/// are handed back to the queue so another worker (or the next start) resumes them at once.
/// </summary>
internal sealed class JobWorker : BackgroundService
{
    private readonly JobStore _store;
    private readonly JobRunner _runner;
    private readonly PackagerOptions _options;
    private readonly DatabaseOptions _database;
    private readonly JobMetrics _metrics;
    private readonly WakeSignal _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<JobWorker> _logger;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();

    public JobWorker(
        JobStore store,
        JobRunner runner,
        IOptions<PackagerOptions> options,
        IOptions<DatabaseOptions> database,
        JobMetrics metrics,
        QueueSignal queue,
        TimeProvider time,
        ILogger<JobWorker> logger)
    {
        _store = store;
        _runner = runner;
        _options = options.Value;
        _database = database.Value;
        _metrics = metrics;
        _queue = queue.Signal;
        _time = time;
        _logger = logger;
        Owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>This process's lease owner id.</summary>
    public string Owner { get; }

    /// <summary>Stops a job running in this process now (the store records the cancel request for other processes).</summary>
    public bool CancelLocal(string jobId)
    {
        if (_running.TryGetValue(jobId, out var cts))
        {
            cts.Cancel();
            return true;
        }

        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        JobsLog.WorkersStarted(_logger, _options.Workers, Owner, _database.Provider.ToString());
        var loops = Enumerable.Range(0, _options.Workers).Select(i => LoopAsync(i, stoppingToken)).ToList();
        await Task.WhenAll(loops);
    }

    private async Task LoopAsync(int index, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (index == 0)
                {
                    _metrics.SetCounts(await _store.CountAsync(stoppingToken));
                }

                var job = await _store.ClaimAsync(Owner, _options.LeaseDuration, stoppingToken);
                if (job is null)
                {
                    await _queue.WaitAsync(_options.PollInterval, _time, stoppingToken);
                    continue;
                }

                JobsLog.Claimed(_logger, job.Id, job.TitleId, Owner, job.Attempts);
                using var local = new CancellationTokenSource();
                _running[job.Id] = local;
                try
                {
                    await _runner.RunAsync(job, Owner, local.Token, stoppingToken);
                }
                finally
                {
                    _running.TryRemove(job.Id, out _);
                }

                _metrics.SetCounts(await _store.CountAsync(CancellationToken.None));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (System.Data.Common.DbException ex)
            {
                JobsLog.LoopError(_logger, ex);
                if (!await Pause.ForAsync(_options.PollInterval, _time, stoppingToken))
                {
                    return;
                }
            }
        }
    }
}
