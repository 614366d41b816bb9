using Microsoft.Extensions.Logging;
using Packager.Packaging;

namespace Packager.Publishing;

/// <summary>
/// Makes a packaged title visible in the origin tree all at once. The title is built in a staging directory
/// inside the origin root (same file system, so a rename is atomic), every file and directory is fsynced, and
/// the staging directory is renamed to <c>&lt;origin&gt;/&lt;title&gt;</c>:
/// <list type="bullet">
/// <item>first publication: renameat2(RENAME_NOREPLACE), which also refuses to clobber a title that appeared meanwhile;</item>
/// <item>re-publication: renameat2(RENAME_EXCHANGE) swaps the old and the new tree in one step — a reader sees the
/// whole old or the whole new title, never a mix or a gap — and the old tree (now under the staging name) is deleted;</item>
/// <item>a file system without those flags falls back to two renames (old aside, new in), logged as a warning.</item>
/// </list>
/// Each published tree carries a stamp file naming the job, so a job resumed after a crash between the rename
/// and its bookkeeping sees it already published its tree and does not publish again.
/// </summary>
internal sealed class OriginPublisher
{
    private readonly string _originRoot;
    private readonly ILogger _logger;

    public OriginPublisher(string originRoot, ILogger logger)
    {
        _originRoot = Path.GetFullPath(originRoot);
        _logger = logger;
    }

    /// <summary>The origin root.</summary>
    public string OriginRoot => _originRoot;

    /// <summary>
    /// Where run <paramref name="attempt"/> of job <paramref name="jobId"/> builds its title tree (hidden, inside the
    /// origin root). Per run, so a worker that lost its lease cannot touch the tree of the worker that took over.
    /// </summary>
    public string StagingDirectory(string jobId, int attempt = 0) => Path.Combine(StagingRoot, $"{jobId}.{attempt}");

    /// <summary>Parent of all staging directories.</summary>
    public string StagingRoot => Path.Combine(_originRoot, ".packager", "staging");

    /// <summary>The published directory of a title.</summary>
    public string TitleDirectory(string titleId) => Path.Combine(_originRoot, titleId);

    /// <summary>True when the tree now at <paramref name="titleId"/> was published by job <paramref name="jobId"/>.</summary>
    public bool IsPublishedBy(string titleId, string jobId)
    {
        var stamp = Path.Combine(TitleDirectory(titleId), PackagingPipeline.PublishStampFile);
        return File.Exists(stamp) && File.ReadAllText(stamp).Trim() == jobId;
    }

    /// <summary>Publishes the tree staged in <paramref name="staging"/> by job <paramref name="jobId"/> as <paramref name="titleId"/>.</summary>
    public PublishOutcome Publish(string staging, string titleId, string jobId)
    {
        var target = TitleDirectory(titleId);
        if (!Directory.Exists(staging))
        {
            if (IsPublishedBy(titleId, jobId))
            {
                return PublishOutcome.AlreadyPublished;
            }

            throw new IOException($"staging directory '{staging}' is gone and '{target}' was not published by job {jobId}");
        }

        File.WriteAllText(Path.Combine(staging, PackagingPipeline.PublishStampFile), jobId + "\n");
        SyncTree(staging);

        if (!OperatingSystem.IsLinux())
        {
            return Fallback(staging, target, titleId, jobId);
        }

        var errno = NativeFileSystem.RenameNoReplaceOrErrno(staging, target);
        if (errno == 0)
        {
            NativeFileSystem.SyncDirectory(_originRoot);
            PublishingLog.Published(_logger, titleId, jobId, PublishOutcome.Created);
            return PublishOutcome.Created;
        }

        if (errno is NativeFileSystem.EExist or NativeFileSystem.ENotEmpty)
        {
            errno = NativeFileSystem.ExchangeOrErrno(staging, target);
            if (errno == 0)
            {
                NativeFileSystem.SyncDirectory(_originRoot);
                Directory.Delete(staging, recursive: true); // now the previous version
                PublishingLog.Published(_logger, titleId, jobId, PublishOutcome.Replaced);
                return PublishOutcome.Replaced;
            }
        }

        if (errno is NativeFileSystem.EInval or NativeFileSystem.ENoSys)
        {
            return Fallback(staging, target, titleId, jobId);
        }

        throw new IOException($"cannot rename '{staging}' to '{target}' (errno {errno})");
    }

    /// <summary>Removes a staging directory (after failure or cancellation).</summary>
    public static void Discard(string staging)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Removes the staging directories earlier runs of <paramref name="jobId"/> left behind (their workers died or lost the lease).</summary>
    public void DiscardEarlierRuns(string jobId, int currentAttempt)
    {
        if (!Directory.Exists(StagingRoot))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(StagingRoot, jobId + ".*"))
        {
            if (dir != StagingDirectory(jobId, currentAttempt))
            {
                Discard(dir);
            }
        }
    }

    private PublishOutcome Fallback(string staging, string target, string titleId, string jobId)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            NativeFileSystem.SyncDirectory(_originRoot);
            PublishingLog.Published(_logger, titleId, jobId, PublishOutcome.Created);
            return PublishOutcome.Created;
        }

        PublishingLog.NonAtomicReplace(_logger, titleId);
        var aside = staging + ".previous";
        Directory.Move(target, aside);
        Directory.Move(staging, target);
        NativeFileSystem.SyncDirectory(_originRoot);
        Directory.Delete(aside, recursive: true);
        PublishingLog.Published(_logger, titleId, jobId, PublishOutcome.ReplacedNonAtomically);
        return PublishOutcome.ReplacedNonAtomically;
    }

    private static void SyncTree(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            stream.Flush(flushToDisk: true);
        }

        foreach (var dir in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories))
        {
            NativeFileSystem.SyncDirectory(dir);
        }

        NativeFileSystem.SyncDirectory(directory);
    }
}
