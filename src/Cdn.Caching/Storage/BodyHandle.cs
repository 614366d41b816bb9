using Microsoft.Win32.SafeHandles;

namespace Cdn.Caching.Storage;

/// <summary>
/// An open body file shared by every reader of it. Reference-counted: the handle cache and each lease hold a
/// reference, and the file descriptor closes when the last one is released — so a body evicted or purged
/// while being sent finishes sending from the (unlinked) file.
/// </summary>
public sealed class BodyHandle
{
    private int _references = 1;

    internal BodyHandle(SafeFileHandle handle, ulong bodyId)
    {
        Handle = handle;
        BodyId = bodyId;
    }

    /// <summary>The open file; read with positional I/O (<see cref="RandomAccess"/>, pread, sendfile with an offset).</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>Body id.</summary>
    public ulong BodyId { get; }

    internal bool Referenced { get; set; } = true;

    internal int References => Volatile.Read(ref _references);

    internal bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Handle.Dispose();
        }
    }
}
