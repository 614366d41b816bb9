using System.Runtime.InteropServices;

namespace Packager.Publishing;

/// <summary>
/// The few Linux calls .NET does not expose: renameat2(2) with RENAME_NOREPLACE/RENAME_EXCHANGE (atomic
/// create-or-swap of a directory) and fsync(2) on a directory (makes a rename durable).
/// </summary>
internal static partial class NativeFileSystem
{
    private const int AtFdCwd = -100;
    private const uint RenameNoReplace = 1;
    private const uint RenameExchange = 2;
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;
    private const int OCloExec = 0x80000;

    /// <summary>errno values we act on.</summary>
    internal const int EExist = 17;
    internal const int EInval = 22;
    internal const int ENoSys = 38;
    internal const int ENotEmpty = 39;

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> unless <paramref name="to"/> exists. Returns 0 or errno.</summary>
    public static int RenameNoReplaceOrErrno(string from, string to)
        => RenameAt2(AtFdCwd, from, AtFdCwd, to, RenameNoReplace) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Atomically swaps two existing paths. Returns 0 or errno.</summary>
    public static int ExchangeOrErrno(string a, string b)
        => RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Flushes a directory's entries to disk.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ORdOnly | ODirectory | OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{path}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
