using Cdn.Hosting.Configuration;

namespace Cdn.Caching.Storage;

/// <summary>One cache volume: a directory on its own drive (NVMe), and how many bytes of bodies it may hold.</summary>
public sealed class CacheVolumeOptions : IValidatableOptions
{
    /// <summary>Directory standing for the drive (its mount point or a directory on it).</summary>
    public string Path { get; set; } = "";

    /// <summary>Bytes of bodies to keep. Leave ~5% of the filesystem free for fills in flight.</summary>
    public long CapacityBytes { get; set; }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.NotEmpty(Path, OptionsErrors.Path(path, nameof(Path)));
        errors.Require(CapacityBytes >= 1 << 20, OptionsErrors.Path(path, nameof(CapacityBytes)), $"must be at least 1 MiB, got {CapacityBytes}");
    }
}
