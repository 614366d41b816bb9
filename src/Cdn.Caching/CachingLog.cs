using Microsoft.Extensions.Logging;

namespace Cdn.Caching;

/// <summary>Log events of the cache engine: event ids 2000–2999.</summary>
internal static partial class CachingLog
{
    [LoggerMessage(2000, LogLevel.Information, "Cache index in {Directory} started empty ({Reason})")]
    public static partial void IndexStartedEmpty(ILogger logger, string directory, string reason);

    [LoggerMessage(2001, LogLevel.Information, "Cache index recovered: {Objects} objects, {Bytes} body bytes across {Volumes} volumes")]
    public static partial void IndexRecovered(ILogger logger, long objects, long bytes, int volumes);

    [LoggerMessage(2002, LogLevel.Information, "Reconciled cache volumes: dropped {DroppedEntries} entries without a valid body, removed {Orphans} orphan files and {Partials} partial fills in {Elapsed}")]
    public static partial void Reconciled(ILogger logger, long droppedEntries, long orphans, long partials, TimeSpan elapsed);

    [LoggerMessage(2003, LogLevel.Warning, "Cache entry {Key} dropped: {Reason}")]
    public static partial void EntryDropped(ILogger logger, string key, string reason);

    [LoggerMessage(2004, LogLevel.Debug, "Checkpoint ({Kind}) took {Elapsed}")]
    public static partial void CheckpointTaken(ILogger logger, string kind, TimeSpan elapsed);

    [LoggerMessage(2005, LogLevel.Error, "Checkpoint failed")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(2006, LogLevel.Information, "Index log compacted: {Bytes} bytes reclaimed")]
    public static partial void Compacted(ILogger logger, long bytes);

    [LoggerMessage(2010, LogLevel.Error, "Cache volume {Volume} ({Path}) taken out of service: {Reason}")]
    public static partial void VolumeFailed(ILogger logger, int volume, string path, string reason);

    [LoggerMessage(2011, LogLevel.Warning, "I/O error on cache volume {Volume} ({Path}); probing the volume")]
    public static partial void VolumeIoError(ILogger logger, Exception exception, int volume, string path);

    [LoggerMessage(2012, LogLevel.Information, "Cache volume {Volume} at {Path}: {Capacity} bytes, policy {Policy}")]
    public static partial void VolumeOpened(ILogger logger, int volume, string path, long capacity, string policy);

    [LoggerMessage(2013, LogLevel.Warning, "Cache volume {Path} is new or was replaced; entries pointing at its old contents are dropped")]
    public static partial void VolumeReplaced(ILogger logger, string path);

    [LoggerMessage(2020, LogLevel.Warning, "Fill of {Key} failed: {Reason}")]
    public static partial void FillFailed(ILogger logger, string key, string reason);

    [LoggerMessage(2021, LogLevel.Information, "Purged {Count} objects under prefix {Prefix} in {Elapsed}")]
    public static partial void PurgedPrefix(ILogger logger, long count, string prefix, TimeSpan elapsed);
}
