using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cdn.Caching.Storage;

/// <summary>
/// syncfs(2): flushes every dirty page of one filesystem. Taken before each index checkpoint, so every body a
/// checkpoint refers to is on stable storage — a power cut then never pairs a recovered index entry with a
/// body whose data never reached the disk, without paying an fsync per fill.
/// </summary>
internal static partial class FileSystemSync
{
    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    /// <summary>Syncs the filesystem holding <paramref name="anyFile"/>; returns false (errno in the exception text) on failure.</summary>
    public static void Sync(SafeFileHandle anyFile)
    {
        ArgumentNullException.ThrowIfNull(anyFile);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var added = false;
        anyFile.DangerousAddRef(ref added);
        try
        {
            if (SyncFs((int)anyFile.DangerousGetHandle()) != 0)
            {
                throw new IOException($"syncfs failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            if (added)
            {
                anyFile.DangerousRelease();
            }
        }
    }
}
