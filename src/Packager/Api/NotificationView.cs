using Packager.Jobs;

namespace Packager.Api;

/// <summary>The control-plane notification of a job, as the API shows it.</summary>
internal sealed record NotificationView(NotificationState State, int Attempts, string? LastError, DateTimeOffset? NextAttemptAt);
