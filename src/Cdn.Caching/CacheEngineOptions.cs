using Cdn.Caching.Eviction;
using Cdn.Caching.Index;
using Cdn.Caching.Storage;
using Cdn.Hosting.Configuration;

namespace Cdn.Caching;

/// <summary>Settings of one cache engine (an edge's or a shield's cache).</summary>
public sealed class CacheEngineOptions : IValidatableOptions
{
    /// <summary>Name used in metrics (<c>cache="edge"</c>) and logs.</summary>
    public string Name { get; set; } = "cache";

    /// <summary>The cache volumes (one per drive).</summary>
    public List<CacheVolumeOptions> Volumes { get; set; } = [];

    /// <summary>The index.</summary>
    public CacheIndexOptions Index { get; set; } = new();

    /// <summary>Eviction/admission policy of every volume. W-TinyLFU by default: bench/PolicySim shows it best on byte hit ratio.</summary>
    public EvictionPolicyKind Policy { get; set; } = EvictionPolicyKind.WTinyLfu;

    /// <summary>Body files kept open between requests. Each costs one descriptor (see LimitNOFILE in the unit).</summary>
    public int OpenHandleLimit { get; set; } = 8192;

    /// <summary>Objects larger than this are served but not stored (a stray multi-GB download must not flush the cache). At most 4 GiB - 1.</summary>
    public long MaxObjectBytes { get; set; } = 1L << 30;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.NotEmpty(Name, OptionsErrors.Path(path, nameof(Name)));
        if (errors.Require(Volumes.Count > 0, OptionsErrors.Path(path, nameof(Volumes)), "at least one cache volume is needed"))
        {
            errors.Require(Volumes.Count <= 255, OptionsErrors.Path(path, nameof(Volumes)), "at most 255 cache volumes");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < Volumes.Count; i++)
            {
                var volumePath = OptionsErrors.Path(path, $"{nameof(Volumes)}:{i}");
                Volumes[i].Validate(volumePath, errors);
                if (Volumes[i].Path.Length > 0 && !seen.Add(System.IO.Path.GetFullPath(Volumes[i].Path)))
                {
                    errors.Add(OptionsErrors.Path(volumePath, nameof(CacheVolumeOptions.Path)), $"'{Volumes[i].Path}' is listed twice");
                }
            }
        }

        Index.Validate(OptionsErrors.Path(path, nameof(Index)), errors);
        errors.InRange(OpenHandleLimit, 16, 1_000_000, OptionsErrors.Path(path, nameof(OpenHandleLimit)));
        errors.InRange(MaxObjectBytes, 1, uint.MaxValue, OptionsErrors.Path(path, nameof(MaxObjectBytes)));
    }
}
