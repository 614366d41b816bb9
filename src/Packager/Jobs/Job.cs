using Packager.Ladder;
using Packager.Packaging;

namespace Packager.Jobs;

/// <summary>A job as stored.</summary>
internal sealed record Job
{
    public required string Id { get; init; }

    public required string TitleId { get; init; }

    /// <summary>Absolute local path or http(s) URL.</summary>
    public required string Source { get; init; }

    /// <summary>Profile name (the configured default when the submitter named none).</summary>
    public required string Profile { get; init; }

    /// <summary>Rungs given with the submission, replacing the profile's.</summary>
    public IReadOnlyList<RungOptions>? Ladder { get; init; }

    public DateTimeOffset? ReleaseDate { get; init; }

    public required JobState State { get; init; }

    public required Stage Stage { get; init; }

    /// <summary>0–100.</summary>
    public double Progress { get; init; }

    /// <summary>Runs started (claims); compared with Packager:MaxAttempts.</summary>
    public int Attempts { get; init; }

    public string? Error { get; init; }

    public bool CancelRequested { get; init; }

    /// <summary>The worker holding the job while it runs; after it ends, the worker that ended it.</summary>
    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseExpires { get; init; }

    public PackageResult? Result { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public NotificationState NotifyState { get; init; }

    public int NotifyAttempts { get; init; }

    public DateTimeOffset? NotifyNextAt { get; init; }

    public string? NotifyError { get; init; }
}
