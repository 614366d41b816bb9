using Microsoft.Extensions.Logging;

namespace Packager.Publishing;

/// <summary>Publishing log events: ids 6300–6399.</summary>
internal static partial class PublishingLog
{
    [LoggerMessage(6300, LogLevel.Information, "Published title {Title} (job {JobId}): {Outcome}")]
    public static partial void Published(ILogger logger, string title, string jobId, PublishOutcome outcome);

    [LoggerMessage(6301, LogLevel.Warning, "The origin file system does not support renameat2 flags: replacing title {Title} with two renames (briefly absent)")]
    public static partial void NonAtomicReplace(ILogger logger, string title);
}
