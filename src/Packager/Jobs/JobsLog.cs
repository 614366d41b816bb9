using Microsoft.Extensions.Logging;

namespace Packager.Jobs;

/// <summary>Job log events: ids 6000–6099.</summary>
internal static partial class JobsLog
{
    [LoggerMessage(6000, LogLevel.Information, "Job {JobId} submitted: title {Title}, source {Source}, profile {Profile}")]
    public static partial void Submitted(ILogger logger, string jobId, string title, string source, string profile);

    [LoggerMessage(6001, LogLevel.Information, "Job {JobId} ({Title}) claimed by {Worker}, attempt {Attempt}")]
    public static partial void Claimed(ILogger logger, string jobId, string title, string worker, int attempt);

    [LoggerMessage(6002, LogLevel.Information, "Job {JobId} ({Title}) succeeded: published with {Encoder} in {Seconds:0.0} s")]
    public static partial void Succeeded(ILogger logger, string jobId, string title, string encoder, double seconds);

    [LoggerMessage(6003, LogLevel.Warning, "Job {JobId} ({Title}) failed: {Reason}")]
    public static partial void Failed(ILogger logger, string jobId, string title, string reason);

    [LoggerMessage(6004, LogLevel.Information, "Job {JobId} ({Title}) cancelled")]
    public static partial void Cancelled(ILogger logger, string jobId, string title);

    [LoggerMessage(6005, LogLevel.Information, "Job {JobId} ({Title}) handed back to the queue: this worker is stopping")]
    public static partial void Released(ILogger logger, string jobId, string title);

    [LoggerMessage(6006, LogLevel.Warning, "Job {JobId} ({Title}): lease lost to another worker; abandoning this run without publishing")]
    public static partial void LeaseLost(ILogger logger, string jobId, string title);

    [LoggerMessage(6007, LogLevel.Information, "Job {JobId} ({Title}) resumed after a crash: its tree was already published; recording it")]
    public static partial void ResumedPublished(ILogger logger, string jobId, string title);

    [LoggerMessage(6008, LogLevel.Warning, "Requeued {Count} job(s) left running by a previous packager process")]
    public static partial void RequeuedAbandoned(ILogger logger, int count);

    [LoggerMessage(6009, LogLevel.Information, "Job workers started: {Workers} worker(s) as {Owner}, store {Store}")]
    public static partial void WorkersStarted(ILogger logger, int workers, string owner, string store);

    [LoggerMessage(6010, LogLevel.Error, "Job worker loop error; retrying")]
    public static partial void LoopError(ILogger logger, Exception exception);

    [LoggerMessage(6011, LogLevel.Warning, "Title {Title} published without notifying a control plane: ControlPlane:Url is not configured")]
    public static partial void NotificationSkipped(ILogger logger, string title);

    [LoggerMessage(6012, LogLevel.Error, "Job {JobId} ({Title}) failed unexpectedly")]
    public static partial void Crashed(ILogger logger, Exception exception, string jobId, string title);
}
