using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cdn.Caching.Keys;

/// <summary>Makes <see cref="CacheKey"/>s with the cache's secret hash key.</summary>
public sealed class CacheKeyHasher
{
    /// <summary>Longest key accepted, in bytes (a URL longer than this is not cached).</summary>
    public const int MaxKeyBytes = 4096;

    private readonly ulong _k0;
    private readonly ulong _k1;

    /// <summary>Uses a 16-byte secret.</summary>
    public CacheKeyHasher(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != 16)
        {
            throw new ArgumentException("the key hash secret must be 16 bytes", nameof(secret));
        }

        _k0 = BinaryPrimitives.ReadUInt64LittleEndian(secret);
        _k1 = BinaryPrimitives.ReadUInt64LittleEndian(secret[8..]);
    }

    /// <summary>A hasher with a fresh random secret (tests, simulators).</summary>
    public static CacheKeyHasher CreateRandom() => new(RandomNumberGenerator.GetBytes(16));

    /// <summary>Reads the secret from <paramref name="path"/>, creating it when absent. Returns whether it was created.</summary>
    public static CacheKeyHasher LoadOrCreate(string path, out bool created)
    {
        created = false;
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 16)
            {
                return new CacheKeyHasher(bytes);
            }
        }

        var secret = RandomNumberGenerator.GetBytes(16);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
        {
            stream.Write(secret);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        created = true;
        return new CacheKeyHasher(secret);
    }

    /// <summary>Hashes raw key bytes.</summary>
    public ulong Hash(ReadOnlySpan<byte> key) => SipHash.Hash(_k0, _k1, key);

    /// <summary>A key from its bytes (copied).</summary>
    public CacheKey Create(ReadOnlySpan<byte> key)
    {
        if (key.Length > MaxKeyBytes)
        {
            throw new ArgumentException($"cache key is {key.Length} bytes; the limit is {MaxKeyBytes}", nameof(key));
        }

        return new CacheKey(key.ToArray(), Hash(key));
    }

    /// <summary>A key from text.</summary>
    public CacheKey Create(string key) => Create(Encoding.UTF8.GetBytes(key));
}
