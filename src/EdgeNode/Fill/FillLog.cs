using Microsoft.Extensions.Logging;

namespace EdgeNode.Fill;

/// <summary>Log events of the edge fill agent: 4100–4199.</summary>
internal static partial class FillLog
{
    [LoggerMessage(4100, LogLevel.Information, "Fill plan v{Version} adopted: {Objects} objects, {Bytes} bytes on this edge; {Unpin} items to unpin")]
    public static partial void PlanAdopted(ILogger logger, long version, long objects, long bytes, int unpin);

    [LoggerMessage(4101, LogLevel.Information, "Resuming fill plan v{Version} at item {Item}, object {Object} ({Done} objects done); {Missing} objects done before the restart are missing and go again")]
    public static partial void Resumed(ILogger logger, long version, int item, int @object, long done, int missing);

    [LoggerMessage(4102, LogLevel.Information, "Fill window {Window} opened: filling plan v{Version}")]
    public static partial void WindowOpened(ILogger logger, string window, long version);

    [LoggerMessage(4103, LogLevel.Information, "Fill window {Window} closed: {Done}/{Total} objects done, resuming at the next opening")]
    public static partial void WindowClosed(ILogger logger, string window, long done, long total);

    [LoggerMessage(4104, LogLevel.Information, "Fill plan v{Version} complete: {Objects} objects, {Bytes} bytes pinned, {Errors} errors")]
    public static partial void PlanComplete(ILogger logger, long version, long objects, long bytes, long errors);

    [LoggerMessage(4110, LogLevel.Warning, "Fill of {Path} failed: {Reason}")]
    public static partial void ObjectFailed(ILogger logger, string path, string reason);

    [LoggerMessage(4111, LogLevel.Warning, "Cannot fetch fill plan v{Version} from the control plane, retrying: {Error}")]
    public static partial void PlanFetchFailed(ILogger logger, long version, string error);

    [LoggerMessage(4112, LogLevel.Warning, "Cannot expand {Item} (title {TitleId}): {Error}")]
    public static partial void ExpandFailed(ILogger logger, string item, string titleId, string error);

    [LoggerMessage(4113, LogLevel.Debug, "Fill progress report failed: {Error}")]
    public static partial void ReportFailed(ILogger logger, string error);

    [LoggerMessage(4114, LogLevel.Information, "Fill paused: players draw {Gbps:0.00} Gb/s, above Fill:PauseAboveGbps")]
    public static partial void PausedForPlayers(ILogger logger, double gbps);

    [LoggerMessage(4115, LogLevel.Error, "Fill agent stopped by an unexpected error; it restarts on the next check")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(4116, LogLevel.Warning, "Fill window time zone {TimeZone} is unknown on this machine: not filling (install tzdata)")]
    public static partial void UnknownTimeZone(ILogger logger, string timeZone);
}
