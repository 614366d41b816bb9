using Cdn.Caching;
using Cdn.Caching.Index;
using Cdn.Caching.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdn.Benchmarks.Caching;

/// <summary>An engine in a temp directory for benchmarks, removed on dispose.</summary>
internal sealed class EngineFixture : IAsyncDisposable
{
    public EngineFixture(long indexMemory = 256L << 20, long capacity = 8L << 30)
    {
        Root = Path.Combine(Path.GetTempPath(), "cdn-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Options = new CacheEngineOptions
        {
            Name = "bench",
            Index = new CacheIndexOptions
            {
                Directory = Path.Combine(Root, "index"),
                MemoryBytes = indexMemory,
                HashTableBytes = 64L << 20,
                PageBytes = 4L << 20,
                CheckpointInterval = TimeSpan.FromHours(1),
            },
            Volumes = [new CacheVolumeOptions { Path = Path.Combine(Root, "vol0"), CapacityBytes = capacity }],
            OpenHandleLimit = 16_384, // above the 10,000-object working set: measure the steady hit path
        };
        Engine = CacheEngine.Open(Options, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public string Root { get; }

    public CacheEngineOptions Options { get; }

    public CacheEngine Engine { get; }

    public static CacheEntry Entry(byte[] key) => new()
    {
        Key = key,
        ContentType = "video/iso.segment"u8.ToArray(),
        ETag = "\"5f3a9c-1b2c3d4e\""u8.ToArray(),
        FreshnessLifetime = 31_536_000,
        LastModified = 1_700_000_000,
        ResponseTime = 1_700_000_000_000,
    };

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
