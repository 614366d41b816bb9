using Microsoft.Win32.SafeHandles;

namespace Cdn.Caching.Storage;

/// <summary>
/// A reader's hold on a body: the open file, where the body starts in it and how long it is — what a
/// zero-copy sender needs. Dispose when the response is done (idempotent).
/// </summary>
public sealed class BodyLease : IDisposable
{
    private BodyHandle? _handle;

    internal BodyLease(BodyHandle handle, long length)
    {
        _handle = handle;
        Length = length;
    }

    /// <summary>The open file.</summary>
    public SafeFileHandle Handle => (_handle ?? throw new ObjectDisposedException(nameof(BodyLease))).Handle;

    /// <summary>Offset of the body's first byte in the file (bodies start page-aligned, at 0).</summary>
    public long Offset { get; }

    /// <summary>Body length in bytes (for a fill in progress: the final length if known, else -1).</summary>
    public long Length { get; }

    /// <summary>Reads body bytes at <paramref name="position"/> (relative to the body start).</summary>
    public int Read(Span<byte> buffer, long position) => RandomAccess.Read(Handle, buffer, Offset + position);

    /// <summary>Reads body bytes at <paramref name="position"/> asynchronously.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, long position, CancellationToken cancellationToken = default)
        => RandomAccess.ReadAsync(Handle, buffer, Offset + position, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _handle, null)?.Release();
}
