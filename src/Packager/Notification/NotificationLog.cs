using Microsoft.Extensions.Logging;

namespace Packager.Notification;

/// <summary>Notification log events: ids 6400–6499.</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(6400, LogLevel.Information, "Control plane accepted title {Title} (job {JobId})")]
    public static partial void Accepted(ILogger logger, string title, string jobId);

    [LoggerMessage(6401, LogLevel.Warning, "Control plane did not accept title {Title} (job {JobId}, attempt {Attempt}): {Error}; retrying in {Delay}")]
    public static partial void Rejected(ILogger logger, string title, string jobId, int attempt, string error, TimeSpan delay);

    [LoggerMessage(6402, LogLevel.Error, "Notification loop error; retrying")]
    public static partial void LoopError(ILogger logger, Exception exception);
}
