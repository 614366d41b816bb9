using Microsoft.Extensions.Logging;

namespace Packager.Api;

/// <summary>API log events: ids 6500–6599.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(6500, LogLevel.Information, "Submission rejected: {Errors}")]
    public static partial void SubmissionRejected(ILogger logger, string errors);

    [LoggerMessage(6501, LogLevel.Information, "Job {JobId} cancel requested")]
    public static partial void CancelRequested(ILogger logger, string jobId);

    [LoggerMessage(6502, LogLevel.Information, "Job {JobId} queued again")]
    public static partial void Retried(ILogger logger, string jobId);
}
