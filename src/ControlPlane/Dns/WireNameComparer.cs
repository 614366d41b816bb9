using System.Diagnostics.CodeAnalysis;

namespace Cdn.ControlPlane.Dns;

/// <summary>Byte-wise equality for lower-case wire names, with a span alternate key so lookups from a packet allocate nothing.</summary>
internal sealed class WireNameComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly WireNameComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode([DisallowNull] byte[] obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    private static int Hash(ReadOnlySpan<byte> name)
    {
        var hash = default(HashCode);
        hash.AddBytes(name);
        return hash.ToHashCode();
    }
}
