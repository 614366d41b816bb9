using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Packager.Encoding;
using Packager.Ladder;
using Packager.Notification;
using Packager.Packaging;
using Packager.Probing;
using Packager.Publishing;
using Packager.Sources;
using Packager.Tools;

namespace Packager.Jobs;

/// <summary>
/// Runs one claimed job to its end: heartbeats (lease, progress, cancellation) while the pipeline packages
/// the title into a per-run staging directory, stores the result, publishes atomically and records the
/// publication — each step fenced by the lease. See Jobs/README.md for the crash and restart cases.
/// </summary>
internal sealed class JobRunner
{
    private readonly JobStore _store;
    private readonly PackagingPipeline _pipeline;
    private readonly OriginPublisher _publisher;
    private readonly SourceFetcher _fetcher;
    private readonly PackagerOptions _options;
    private readonly LiveOptions<EncodingOptions> _encoding;
    private readonly LiveOptions<ControlPlaneOptions> _controlPlane;
    private readonly JobMetrics _metrics;
    private readonly WakeSignal _notifications;
    private readonly TimeProvider _time;
    private readonly ILogger<JobRunner> _logger;

    public JobRunner(
        JobStore store,
        PackagingPipeline pipeline,
        OriginPublisher publisher,
        SourceFetcher fetcher,
        IOptions<PackagerOptions> options,
        LiveOptions<EncodingOptions> encoding,
        LiveOptions<ControlPlaneOptions> controlPlane,
        JobMetrics metrics,
        NotificationSignal notifications,
        TimeProvider time,
        ILogger<JobRunner> logger)
    {
        _store = store;
        _pipeline = pipeline;
        _publisher = publisher;
        _fetcher = fetcher;
        _options = options.Value;
        _encoding = encoding;
        _controlPlane = controlPlane;
        _metrics = metrics;
        _notifications = notifications.Signal;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs <paramref name="job"/> (claimed by <paramref name="owner"/>). <paramref name="localCancel"/> is triggered by an API cancel in this process.</summary>
    public async Task RunAsync(Job job, string owner, CancellationToken localCancel, CancellationToken stopping)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopping, localCancel);
        var status = new RunStatus();
        var heartbeat = HeartbeatAsync(job, owner, status, run);
        var staging = _publisher.StagingDirectory(job.Id, job.Attempts);
        var terminal = true;
        try
        {
            await RunStagesAsync(job, owner, staging, status, run.Token);
        }
        catch (OperationCanceledException) when (status.LeaseLost)
        {
            JobsLog.LeaseLost(_logger, job.Id, job.TitleId);
            terminal = false;
        }
        catch (OperationCanceledException) when (status.CancelRequested || localCancel.IsCancellationRequested)
        {
            await _store.FinishAsync(job.Id, owner, JobState.Cancelled, "cancelled by an operator", CancellationToken.None);
            JobsLog.Cancelled(_logger, job.Id, job.TitleId);
            _metrics.Finished(JobState.Cancelled);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await _store.ReleaseAsync(job.Id, owner, CancellationToken.None);
            JobsLog.Released(_logger, job.Id, job.TitleId);
            terminal = false;
        }
        catch (Exception ex) when (ex is InvalidMediaException or PackagingException or ToolMissingException or IOException or UnauthorizedAccessException or HttpRequestException or InvalidOperationException)
        {
            await FailAsync(job, owner, ex.Message);
        }
#pragma warning disable CA1031 // A job must never take its worker down; the reason is recorded on the job.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            JobsLog.Crashed(_logger, ex, job.Id, job.TitleId);
            await FailAsync(job, owner, $"internal error: {ex.Message}");
        }
        finally
        {
            await run.CancelAsync();
            await heartbeat;
            OriginPublisher.Discard(staging);
            if (terminal)
            {
                var work = Path.Combine(_options.EffectiveWorkDirectory, job.Id);
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        }
    }

    private async Task RunStagesAsync(Job job, string owner, string staging, RunStatus status, CancellationToken cancellationToken)
    {
        // A run cut short between the rename into the origin tree and its bookkeeping: the tree is ours, record it.
        if (job.Result is not null && _publisher.IsPublishedBy(job.TitleId, job.Id))
        {
            JobsLog.ResumedPublished(_logger, job.Id, job.TitleId);
            await RecordPublishedAsync(job, owner, job.Result, cancellationToken);
            return;
        }

        if (job.Attempts > _options.MaxAttempts)
        {
            await FailAsync(job, owner, $"gave up after {job.Attempts - 1} runs that ended without a result (the worker stopped or crashed during each)");
            return;
        }

        _publisher.DiscardEarlierRuns(job.Id, job.Attempts);
        var encoding = _encoding.Current;
        var profile = encoding.FindProfile(job.Profile)
            ?? throw new PackagingException($"profile '{job.Profile}' is no longer configured");
        if (job.Ladder is { Count: > 0 } ladder)
        {
            profile = new ProfileOptions { Codec = profile.Codec, AudioBitrateKbps = profile.AudioBitrateKbps, Rungs = [.. ladder] };
        }

        var source = SourceReference.TryParse(job.Source, _options.SourceRoots, mustExist: false, out var problem)
            ?? throw new InvalidMediaException(problem!);
        var path = source.LocalPath;
        if (source.Url is { } url)
        {
            status.Set(Stage.Fetching, 0);
            path = await _fetcher.FetchAsync(url, Path.Combine(_options.EffectiveWorkDirectory, job.Id), _options.MaxDownloadBytes, f => status.Set(Stage.Fetching, f), cancellationToken);
        }

        var result = await _pipeline.RunAsync(new PackageRequest(job.TitleId, path!, profile, job.ReleaseDate), staging, status.Set, cancellationToken);
        _metrics.Encoded(result.EncodeSeconds, result.RealtimeFactor);

        status.Set(Stage.Publishing, 0);
        if (!await _store.SaveResultAsync(job.Id, owner, result, cancellationToken))
        {
            status.LeaseLost = true;
            throw new OperationCanceledException("lease lost");
        }

        // Past this point the run is not cancelled: publishing is quick, and half-published is worse than late.
        _publisher.Publish(staging, job.TitleId, job.Id);
        await RecordPublishedAsync(job, owner, result, CancellationToken.None);
    }

    private async Task RecordPublishedAsync(Job job, string owner, PackageResult result, CancellationToken cancellationToken)
    {
        var notify = _controlPlane.Current.Enabled;
        if (!await _store.MarkPublishedAsync(job.Id, owner, notify, cancellationToken))
        {
            // Another worker took the job over; it will find the tree stamped with this job and record it.
            JobsLog.LeaseLost(_logger, job.Id, job.TitleId);
            return;
        }

        JobsLog.Succeeded(_logger, job.Id, job.TitleId, result.Encoder, result.EncodeSeconds);
        _metrics.Finished(JobState.Succeeded);
        if (notify)
        {
            _notifications.Pulse();
        }
        else
        {
            JobsLog.NotificationSkipped(_logger, job.TitleId);
        }
    }

    private async Task FailAsync(Job job, string owner, string reason)
    {
        await _store.FinishAsync(job.Id, owner, JobState.Failed, reason, CancellationToken.None);
        JobsLog.Failed(_logger, job.Id, job.TitleId, reason);
        _metrics.Finished(JobState.Failed);
    }

    private async Task HeartbeatAsync(Job job, string owner, RunStatus status, CancellationTokenSource run)
    {
        while (!run.IsCancellationRequested)
        {
            if (!await Pause.ForAsync(_options.HeartbeatInterval, _time, run.Token))
            {
                return;
            }

            var (stage, progress) = status.Snapshot();
            bool? cancel;
            try
            {
                cancel = await _store.HeartbeatAsync(job.Id, owner, _options.LeaseDuration, stage, progress, CancellationToken.None);
            }
            catch (System.Data.Common.DbException)
            {
                continue; // the store is briefly unreachable: the lease has slack for a few missed beats
            }

            if (cancel is null)
            {
                status.LeaseLost = true;
                await run.CancelAsync();
            }
            else if (cancel.Value)
            {
                status.CancelRequested = true;
                await run.CancelAsync();
            }
        }
    }

    /// <summary>Stage and progress of the running job, written by the pipeline and read by the heartbeat.</summary>
    private sealed class RunStatus
    {
        private readonly Lock _lock = new();
        private Stage _stage = Stage.Probing;
        private double _percent;

        public volatile bool LeaseLost;
        public volatile bool CancelRequested;

        public void Set(Stage stage, double fraction)
        {
            lock (_lock)
            {
                _stage = stage;
                _percent = StageProgress.Percent(stage, fraction);
            }
        }

        public (Stage Stage, double Percent) Snapshot()
        {
            lock (_lock)
            {
                return (_stage, _percent);
            }
        }
    }
}
