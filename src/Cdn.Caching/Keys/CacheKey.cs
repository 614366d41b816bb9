using System.Text;

namespace Cdn.Caching.Keys;

/// <summary>
/// A normalized cache key (e.g. <c>cdn.example.com/title1/720p/seg_00001.m4s</c>; the HTTP layer decides
/// what goes in) with its keyed 64-bit hash. The hash finds the index record; the stored key bytes are
/// compared on every lookup, so a hash collision is a miss, never a wrong object.
/// </summary>
public readonly struct CacheKey : IEquatable<CacheKey>
{
    internal CacheKey(byte[] utf8, ulong hash)
    {
        Utf8 = utf8;
        Hash = hash;
    }

    /// <summary>The key's bytes.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>Keyed hash of <see cref="Utf8"/>.</summary>
    public ulong Hash { get; }

    /// <summary>True for a default (empty) key.</summary>
    public bool IsEmpty => Utf8.IsEmpty;

    /// <summary>True when this key starts with <paramref name="prefix"/>.</summary>
    public bool StartsWith(ReadOnlySpan<byte> prefix) => Utf8.Span.StartsWith(prefix);

    /// <inheritdoc />
    public bool Equals(CacheKey other) => Hash == other.Hash && Utf8.Span.SequenceEqual(other.Utf8.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Hash;

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(Utf8.Span);

    /// <summary>Equality.</summary>
    public static bool operator ==(CacheKey left, CacheKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(CacheKey left, CacheKey right) => !left.Equals(right);
}
