using Cdn.Hosting.Configuration;

namespace Cdn.Caching.Index;

/// <summary>Where the index lives and how much memory it may use.</summary>
public sealed class CacheIndexOptions : IValidatableOptions
{
    /// <summary>Directory of the index log and checkpoints (fast local disk).</summary>
    public string Directory { get; set; } = "cache-index";

    /// <summary>
    /// Bytes of the index log kept in memory (rounded down to a power of two). Records beyond it are read from
    /// disk on lookup. About 150 bytes per object: 1 GiB holds ~7 million objects in memory.
    /// </summary>
    public long MemoryBytes { get; set; } = 256L << 20;

    /// <summary>Bytes of the hash table (64-byte buckets of 7 entries; rounded down to a power of two). Aim for ~10 bytes per object.</summary>
    public long HashTableBytes { get; set; } = 32L << 20;

    /// <summary>Log page size (rounded to a power of two).</summary>
    public long PageBytes { get; set; } = 4L << 20;

    /// <summary>How often a log checkpoint is taken.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every how many checkpoints one is a full (hash table) checkpoint.</summary>
    public int FullCheckpointEvery { get; set; } = 20;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.NotEmpty(Directory, OptionsErrors.Path(path, nameof(Directory)));
        errors.InRange(PageBytes, 4096, 1L << 30, OptionsErrors.Path(path, nameof(PageBytes)));
        errors.Require(MemoryBytes >= 2 * PageBytes, OptionsErrors.Path(path, nameof(MemoryBytes)), $"must be at least two pages ({2 * PageBytes} bytes), got {MemoryBytes}");
        errors.InRange(HashTableBytes, 64 * 1024, 1L << 36, OptionsErrors.Path(path, nameof(HashTableBytes)));
        errors.InRange(CheckpointInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(CheckpointInterval)));
        errors.InRange(FullCheckpointEvery, 1, 10_000, OptionsErrors.Path(path, nameof(FullCheckpointEvery)));
    }
}
