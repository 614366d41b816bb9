using Cdn.Caching.Index;
using Cdn.Caching.Keys;
using Cdn.Caching.Storage;

namespace Cdn.Caching.Fill;

/// <summary>
/// One upstream fetch of one object, shared by every request for it (at most one fill per key at a time).
/// The leader writes the body to a temporary file; readers — the leader's own client included — read the
/// bytes already written and wait for more (read-while-write), so every client streams at the speed the
/// origin sends instead of waiting for the whole object. Only a complete body of the declared length is
/// published; a broken one is discarded and its readers are told.
/// </summary>
/// <remarks>
/// Threading: one leader calls <see cref="Begin"/>, <see cref="WriteAsync"/>, then <see cref="CompleteAsync"/>
/// (or <see cref="Fail"/>/<see cref="Abandon"/>); any number of readers call the wait and read members
/// concurrently. Progress is published by bumping <see cref="BytesWritten"/> and then completing the
/// current progress signal, which readers fetch before checking the count (no lost wake-ups).
/// </remarks>
public sealed class CacheFill
{
    private readonly CacheEngine _engine;
    private readonly TaskCompletionSource _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _written;
    private volatile FillState _state;
    private volatile string? _error;
    private CacheEntry? _entry;

    internal CacheFill(CacheEngine engine, CacheKey key)
    {
        _engine = engine;
        Key = key;
    }

    /// <summary>The object being filled.</summary>
    public CacheKey Key { get; }

    /// <summary>Current state.</summary>
    public FillState State => _state;

    /// <summary>The response metadata once known (Streaming or later).</summary>
    public CacheEntry? Entry => Volatile.Read(ref _entry);

    /// <summary>Body bytes written so far.</summary>
    public long BytesWritten => Volatile.Read(ref _written);

    /// <summary>Body length announced by upstream, or -1 when unknown (chunked).</summary>
    public long DeclaredLength { get; private set; } = -1;

    /// <summary>Why the fill failed or was abandoned.</summary>
    public string? Error => _error;

    /// <summary>
    /// What the leader tells readers when the fill ends without a body (set before <see cref="Abandon"/> or
    /// <see cref="Fail"/>): opaque to the engine, e.g. "upstream answered 503, relay it" so readers do not each
    /// go to a failing origin themselves.
    /// </summary>
    public object? Outcome { get; set; }

    /// <summary>Set when the object was purged while filling: the body still reaches current readers but is not stored.</summary>
    public bool Invalidated { get; private set; }

    internal CacheVolume? Volume { get; private set; }

    internal BodyHandle? Handle { get; private set; }

    internal ulong BodyId { get; private set; }

    /// <summary>Completes when headers are known or the fill ended without a body.</summary>
    public Task WaitForHeadersAsync(CancellationToken cancellationToken = default) => _headers.Task.WaitAsync(cancellationToken);

    // ---- leader -------------------------------------------------------------------------------------

    /// <summary>
    /// The upstream response is cacheable: records its metadata and opens the temporary body file. Returns
    /// false (and abandons the fill) when the engine will not store it — too large, or no volume in service —
    /// in which case readers go upstream themselves.
    /// </summary>
    public bool Begin(CacheEntry metadata, long declaredLength)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (_state != FillState.Waiting)
        {
            throw new InvalidOperationException($"fill of {Key} already {_state}");
        }

        DeclaredLength = declaredLength;
        if (!_engine.TryOpenFillBody(this, declaredLength, out var volume, out var handle, out var bodyId, out var reason))
        {
            Abandon(reason);
            return false;
        }

        Volume = volume;
        Handle = handle;
        BodyId = bodyId;
        Volatile.Write(ref _entry, metadata with { Volume = volume.Slot, BodyId = bodyId, Length = declaredLength });
        _state = FillState.Streaming;
        _headers.TrySetResult();
        return true;
    }

    /// <summary>Appends body bytes. An I/O error fails the fill (and is reported to the volume).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (_state != FillState.Streaming)
        {
            throw new InvalidOperationException($"fill of {Key} is {_state}, not streaming");
        }

        var position = _written;
        if (DeclaredLength >= 0 && position + data.Length > DeclaredLength)
        {
            Fail($"upstream sent more than the declared {DeclaredLength} bytes");
            throw new CacheFillFailedException(_error!);
        }

        try
        {
            await RandomAccess.WriteAsync(Handle!.Handle, data, position, cancellationToken);
        }
        catch (IOException ex)
        {
            _engine.ReportVolumeError(Volume!, ex);
            Fail($"cache volume write failed: {ex.Message}");
            throw new CacheFillFailedException(_error!);
        }

        Interlocked.Add(ref Volume!.BytesInFlight, data.Length);
        Volatile.Write(ref _written, position + data.Length);
        Signal();
    }

    /// <summary>
    /// The body is complete: checks its length against the declared one, then publishes it (rename into place,
    /// index record, eviction accounting) unless the policy declines it or it was purged meanwhile. Returns the
    /// stored entry, or null when the body was served but not stored.
    /// </summary>
    public async Task<CacheEntry?> CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_state != FillState.Streaming)
        {
            throw new InvalidOperationException($"fill of {Key} is {_state}, not streaming");
        }

        var length = BytesWritten;
        if (DeclaredLength >= 0 && length != DeclaredLength)
        {
            Fail($"upstream sent {length} of {DeclaredLength} bytes");
            return null;
        }

        var entry = Entry! with { Length = length };
        Volatile.Write(ref _entry, entry);
        CacheEntry? stored = null;
        try
        {
            stored = Invalidated ? null : await _engine.CommitFillAsync(this, entry, cancellationToken);
        }
        finally
        {
            Interlocked.Add(ref Volume!.BytesInFlight, -length);
            if (stored is null)
            {
                CacheEngine.DiscardFillBody(this);
            }

            _state = FillState.Completed;
            Signal();
            Handle!.Release(); // the fill's own reference; readers and the handle cache hold theirs
            _engine.EndFill(this);
        }

        return stored;
    }

    /// <summary>Fails the fill: the partial body is deleted and readers get <see cref="CacheFillFailedException"/>.</summary>
    public void Fail(string reason)
    {
        var previous = _state;
        if (previous is FillState.Completed or FillState.Failed or FillState.Abandoned)
        {
            return;
        }

        _error = reason;
        _state = FillState.Failed;
        if (previous == FillState.Streaming)
        {
            Interlocked.Add(ref Volume!.BytesInFlight, -BytesWritten);
            CacheEngine.DiscardFillBody(this);
            Handle!.Release();
        }

        _engine.NoteFillFailed(this, reason);
        _headers.TrySetResult();
        Signal();
        _engine.EndFill(this);
    }

    /// <summary>No body will be stored (response not cacheable, nowhere to put it); readers go upstream themselves.</summary>
    public void Abandon(string reason)
    {
        if (_state != FillState.Waiting)
        {
            return;
        }

        _error = reason;
        _state = FillState.Abandoned;
        _headers.TrySetResult();
        Signal();
        _engine.EndFill(this);
    }

    internal void Invalidate() => Invalidated = true;

    // ---- readers ------------------------------------------------------------------------------------

    /// <summary>A lease on the body file being written (null unless streaming or completed).</summary>
    public BodyLease? OpenReader()
    {
        var handle = Handle;
        if (handle is null || _state is not (FillState.Streaming or FillState.Completed) || !handle.TryAddReference())
        {
            return null;
        }

        return new BodyLease(handle, DeclaredLength);
    }

    /// <summary>
    /// Waits until more than <paramref name="position"/> bytes are written and returns how many are, or returns
    /// <paramref name="position"/> itself when the fill completed there (end of body). Throws
    /// <see cref="CacheFillFailedException"/> when the fill failed.
    /// </summary>
    public async ValueTask<long> WaitForDataAsync(long position, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _progress);
            var written = BytesWritten;
            if (written > position)
            {
                return written;
            }

            switch (_state)
            {
                case FillState.Completed:
                    return written;
                case FillState.Failed:
                    throw new CacheFillFailedException(_error ?? "fill failed");
                case FillState.Abandoned:
                    throw new CacheFillFailedException(_error ?? "fill abandoned");
            }

            await signal.Task.WaitAsync(cancellationToken);
        }
    }

    private void Signal()
    {
        var previous = Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
