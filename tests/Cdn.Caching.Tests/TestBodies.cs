using Cdn.Caching.Fill;
using Cdn.Caching.Index;
using Cdn.Caching.Keys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdn.Caching.Tests;

/// <summary>Engines in temp directories and bodies whose bytes are a function of their key, so any mix-up shows.</summary>
internal static class TestBodies
{
    public static CacheEngineOptions Options(string root, int volumes = 1, long capacity = 64L << 20)
    {
        var options = new CacheEngineOptions
        {
            Name = "test",
            Index = new CacheIndexOptions
            {
                Directory = Path.Combine(root, "index"),
                MemoryBytes = 1 << 20,
                PageBytes = 64 << 10,
                HashTableBytes = 1 << 20,
                CheckpointInterval = TimeSpan.FromHours(1),
            },
        };
        for (var i = 0; i < volumes; i++)
        {
            options.Volumes.Add(new Storage.CacheVolumeOptions { Path = Path.Combine(root, $"vol{i}"), CapacityBytes = capacity });
        }

        return options;
    }

    public static CacheEngine Open(CacheEngineOptions options, TimeProvider? time = null)
        => CacheEngine.Open(options, time ?? TimeProvider.System, NullLoggerFactory.Instance);

    public static byte[] Content(string key, int length)
    {
        var seed = (uint)key.GetHashCode(StringComparison.Ordinal);
        var bytes = new byte[length];
        var state = seed | 1;
        for (var i = 0; i < length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            bytes[i] = (byte)state;
        }

        return bytes;
    }

    public static CacheEntry Metadata(CacheKey key) => new()
    {
        Key = key.Utf8.ToArray(),
        ContentType = "video/iso.segment"u8.ToArray(),
        ETag = "\"v1\""u8.ToArray(),
        FreshnessLifetime = 3600,
    };

    /// <summary>Fills <paramref name="key"/> with <paramref name="body"/> in chunks; returns the stored entry.</summary>
    public static async Task<CacheEntry?> FillAsync(CacheEngine engine, CacheKey key, byte[] body, int chunk = 64 * 1024, bool declareLength = true)
    {
        Assert.True(engine.TryStartFill(key, out var fill), "expected to lead the fill");
        Assert.True(fill.Begin(Metadata(key), declareLength ? body.Length : -1));
        for (var at = 0; at < body.Length; at += chunk)
        {
            await fill.WriteAsync(body.AsMemory(at, Math.Min(chunk, body.Length - at)));
        }

        return await fill.CompleteAsync();
    }

    /// <summary>Reads a hit's whole body.</summary>
    public static byte[] ReadHit(CacheEngine engine, CacheKey key)
    {
        var lookup = engine.Lookup(key);
        Assert.Equal(CacheLookupKind.Hit, lookup.Kind);
        using var body = lookup.Body!;
        var bytes = new byte[body.Length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = body.Read(bytes.AsSpan(read), read);
            Assert.True(n > 0, "short read");
            read += n;
        }

        return bytes;
    }

    /// <summary>Reads a fill from its start until it completes, as a waiting client would.</summary>
    public static async Task<byte[]> ReadFillAsync(CacheFill fill)
    {
        await fill.WaitForHeadersAsync();
        using var reader = fill.OpenReader() ?? throw new InvalidOperationException($"fill is {fill.State}");
        var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        long position = 0;
        while (true)
        {
            var available = await fill.WaitForDataAsync(position);
            if (available == position)
            {
                return output.ToArray();
            }

            while (position < available)
            {
                var n = await reader.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, available - position)), position);
                output.Write(buffer, 0, n);
                position += n;
            }
        }
    }
}
