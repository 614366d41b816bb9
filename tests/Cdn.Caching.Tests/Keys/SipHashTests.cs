using Cdn.Caching.Keys;

namespace Cdn.Caching.Tests.Keys;

public sealed class SipHashTests
{
    // Reference vectors from the SipHash paper's implementation (key 00..0f, message 00..n-1).
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(1, 0x74f839c593dc67fdUL)]
    [InlineData(7, 0xab0200f58b01d137UL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    [InlineData(63, 0x958a324ceb064572UL)]
    public void Matches_the_reference_vectors(int length, ulong expected)
    {
        var key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

        var hash = SipHash.Hash(BitConverter.ToUInt64(key, 0), BitConverter.ToUInt64(key, 8), message);

        Assert.Equal(expected, hash);
    }

    [Fact]
    public void Keys_hash_differently_under_different_secrets()
    {
        var a = CacheKeyHasher.CreateRandom().Create("cdn.test/title/seg1.m4s");
        var b = CacheKeyHasher.CreateRandom().Create("cdn.test/title/seg1.m4s");

        Assert.NotEqual(a.Hash, b.Hash);
    }

    [Fact]
    public void A_key_longer_than_the_limit_is_refused()
    {
        var hasher = CacheKeyHasher.CreateRandom();

        Assert.Throws<ArgumentException>(() => hasher.Create(new byte[CacheKeyHasher.MaxKeyBytes + 1]));
    }
}
