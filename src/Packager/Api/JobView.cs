using Packager.Jobs;
using Packager.Packaging;

namespace Packager.Api;

/// <summary>A job as the API shows it.</summary>
internal sealed record JobView
{
    public required string Id { get; init; }

    public required string TitleId { get; init; }

    public required string Source { get; init; }

    public required string Profile { get; init; }

    public required JobState State { get; init; }

    public required Stage Stage { get; init; }

    /// <summary>Percent done, 0–100.</summary>
    public required double Progress { get; init; }

    public required int Attempts { get; init; }

    public string? Error { get; init; }

    public bool CancelRequested { get; init; }

    /// <summary>The worker (host/pid/instance) running the job, or the one that ran it last.</summary>
    public string? Worker { get; init; }

    public DateTimeOffset? ReleaseDate { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public required NotificationView Notification { get; init; }

    public PackageResult? Result { get; init; }

    public static JobView From(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobView
        {
            Id = job.Id,
            TitleId = job.TitleId,
            Source = job.Source,
            Profile = job.Profile,
            State = job.State,
            Stage = job.Stage,
            Progress = job.Progress,
            Attempts = job.Attempts,
            Error = job.Error,
            CancelRequested = job.CancelRequested,
            Worker = job.LeaseOwner,
            ReleaseDate = job.ReleaseDate,
            CreatedAt = job.CreatedAt,
            UpdatedAt = job.UpdatedAt,
            StartedAt = job.StartedAt,
            FinishedAt = job.FinishedAt,
            PublishedAt = job.PublishedAt,
            Notification = new NotificationView(job.NotifyState, job.NotifyAttempts, job.NotifyError, job.NotifyNextAt),
            Result = job.Result,
        };
    }
}
