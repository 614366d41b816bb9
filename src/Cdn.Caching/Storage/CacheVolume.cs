using System.Collections.Concurrent;
using System.Globalization;
using Cdn.Caching.Eviction;
using Microsoft.Win32.SafeHandles;

namespace Cdn.Caching.Storage;

/// <summary>
/// One cache volume: a directory (a drive) holding body files under <c>bodies/xyz/&lt;id&gt;</c> and fills in
/// progress under <c>tmp/</c>, bounded in bytes by its own eviction policy. A volume that fails its probe
/// after an I/O error goes out of service for good (until restart): its objects read as misses and new fills
/// go to the other volumes.
/// </summary>
internal sealed class CacheVolume : IDisposable
{
    public const string MarkerFile = ".edgenode-volume";
    private const int MaxPendingHits = 8192;

    private readonly ConcurrentQueue<ulong> _pendingHits = new();
    private SafeFileHandle? _marker;
    private volatile string? _failure;
    private readonly int[] _bucketsCreated = new int[4096 / 32];

    public CacheVolume(byte slot, Guid volumeId, string root, long capacity, IEvictionPolicy policy)
    {
        Slot = slot;
        VolumeId = volumeId;
        Root = root;
        Capacity = capacity;
        Policy = policy;
        BodiesDirectory = Path.Combine(root, "bodies");
        TempDirectory = Path.Combine(root, "tmp");
        Directory.CreateDirectory(BodiesDirectory);
        Directory.CreateDirectory(TempDirectory);
        _marker = File.OpenHandle(Path.Combine(root, MarkerFile), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    public byte Slot { get; }

    public Guid VolumeId { get; }

    public string Root { get; }

    public long Capacity { get; }

    public IEvictionPolicy Policy { get; }

    /// <summary>Serializes access to <see cref="Policy"/>.</summary>
    public Lock PolicyLock { get; } = new();

    public string BodiesDirectory { get; }

    public string TempDirectory { get; }

    public bool InService => _failure is null;

    public string? FailureReason => _failure;

    /// <summary>Bytes in fills not yet committed (counted against free space, not capacity).</summary>
    public long BytesInFlight;

    public string BodyPath(ulong bodyId)
        => Path.Combine(BodiesDirectory, (bodyId & 0xFFF).ToString("x3", CultureInfo.InvariantCulture), bodyId.ToString("x16", CultureInfo.InvariantCulture));

    public string BucketDirectory(ulong bodyId)
        => Path.Combine(BodiesDirectory, (bodyId & 0xFFF).ToString("x3", CultureInfo.InvariantCulture));

    /// <summary>Creates the body's bucket directory once per run (remembered in a bitmap).</summary>
    public void EnsureBucket(ulong bodyId)
    {
        var bucket = (int)(bodyId & 0xFFF);
        var bit = 1 << (bucket & 31);
        if ((Volatile.Read(ref _bucketsCreated[bucket >> 5]) & bit) != 0)
        {
            return;
        }

        Directory.CreateDirectory(BucketDirectory(bodyId));
        Interlocked.Or(ref _bucketsCreated[bucket >> 5], bit);
    }

    public string TempPath(ulong bodyId)
        => Path.Combine(TempDirectory, bodyId.ToString("x16", CultureInfo.InvariantCulture) + ".part");

    /// <summary>Parses a body file name back to its id.</summary>
    public static bool TryParseBodyName(string name, out ulong bodyId)
        => ulong.TryParse(name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bodyId) && name.Length == 16;

    /// <summary>
    /// Records a hit without waiting for the policy lock: taken when free, else queued (lossy, bounded) for the
    /// next holder to apply — hits are hints, and a hot object must not serialize its readers.
    /// </summary>
    public void RecordHit(ulong id)
    {
        if (PolicyLock.TryEnter())
        {
            try
            {
                DrainHits();
                Policy.RecordHit(id);
            }
            finally
            {
                PolicyLock.Exit();
            }
        }
        else if (_pendingHits.Count < MaxPendingHits)
        {
            _pendingHits.Enqueue(id);
        }
    }

    /// <summary>Applies queued hits; call with <see cref="PolicyLock"/> held.</summary>
    public void DrainHits()
    {
        while (_pendingHits.TryDequeue(out var id))
        {
            Policy.RecordHit(id);
        }
    }

    /// <summary>
    /// Checks the volume still works after an I/O error: the marker must still be the one we opened (a drive
    /// swapped or unmounted under us fails this), and a small file must write, sync, read back and delete.
    /// </summary>
    public bool Probe(out string reason)
    {
        try
        {
            var markerPath = Path.Combine(Root, MarkerFile);
            var text = File.ReadAllText(markerPath).Trim();
            if (!Guid.TryParse(text, out var id) || id != VolumeId)
            {
                reason = $"volume marker {markerPath} changed";
                return false;
            }

            var probe = Path.Combine(TempDirectory, $"probe-{Environment.ProcessId}-{Environment.TickCount64}");
            byte[] data = [1, 2, 3, 4, 5, 6, 7, 8];
            using (var handle = File.OpenHandle(probe, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose))
            {
                RandomAccess.Write(handle, data, 0);
                RandomAccess.FlushToDisk(handle);
                Span<byte> back = stackalloc byte[8];
                if (RandomAccess.Read(handle, back, 0) != 8 || !back.SequenceEqual(data))
                {
                    reason = "probe read back different bytes";
                    return false;
                }
            }

            reason = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = ex.Message;
            return false;
        }
    }

    /// <summary>Takes the volume out of service (idempotent); returns true the first time.</summary>
    public bool Fail(string reason) => Interlocked.CompareExchange(ref _failure, reason, null) is null;

    /// <summary>Flushes this volume's filesystem (see <see cref="FileSystemSync"/>).</summary>
    public void Sync()
    {
        if (_marker is { } marker && InService)
        {
            FileSystemSync.Sync(marker);
        }
    }

    /// <summary>Free bytes on the filesystem, or -1 when unknown.</summary>
    public long FreeBytes()
    {
        try
        {
            return new DriveInfo(Root).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        _marker?.Dispose();
        _marker = null;
    }
}
