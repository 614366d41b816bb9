using Microsoft.Extensions.Logging;

namespace Packager.WatchFolder;

/// <summary>Watch folder log events: ids 6600–6699.</summary>
internal static partial class WatchFolderLog
{
    [LoggerMessage(6600, LogLevel.Information, "Watch folder {Path}: took {File} as title {Title} (job {JobId})")]
    public static partial void Accepted(ILogger logger, string path, string file, string title, string jobId);

    [LoggerMessage(6601, LogLevel.Warning, "Watch folder {Path}: rejected {File}: {Reason}")]
    public static partial void Rejected(ILogger logger, string path, string file, string reason);

    [LoggerMessage(6602, LogLevel.Information, "Watching {Path} for new sources")]
    public static partial void Watching(ILogger logger, string path);

    [LoggerMessage(6603, LogLevel.Error, "Watch folder scan failed; retrying")]
    public static partial void ScanFailed(ILogger logger, Exception exception);
}
