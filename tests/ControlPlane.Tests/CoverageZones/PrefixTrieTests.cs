using System.Net;
using Cdn.ControlPlane.CoverageZones;

namespace Cdn.ControlPlane.Tests.CoverageZones;

public sealed class PrefixTrieTests
{
    private static UInt128 Bits(string address) => AddressBits.From(IPAddress.Parse(address));

    private static PrefixTrie V4(params (string Prefix, int Length, int Value)[] entries)
    {
        var trie = new PrefixTrie(32);
        foreach (var (prefix, length, value) in entries)
        {
            trie.Add(Bits(prefix), length, value);
        }

        return trie;
    }

    [Fact]
    public void The_longest_matching_prefix_wins()
    {
        var trie = V4(("10.0.0.0", 8, 1), ("10.1.0.0", 16, 2), ("10.1.2.0", 24, 3));

        Assert.Equal((3, 24), (trie.Lookup(Bits("10.1.2.9"), 32).Value, trie.Lookup(Bits("10.1.2.9"), 32).MatchedLength));
        Assert.Equal(2, trie.Lookup(Bits("10.1.3.9"), 32).Value);
        Assert.Equal(1, trie.Lookup(Bits("10.200.0.1"), 32).Value);
        Assert.False(trie.Lookup(Bits("11.0.0.1"), 32).Found);
    }

    [Fact]
    public void The_scope_is_the_matched_length_when_nothing_more_specific_exists()
        => Assert.Equal(16, V4(("10.1.0.0", 16, 1)).Lookup(Bits("10.1.3.0"), 24).Scope);

    [Fact]
    public void The_scope_covers_the_bits_that_separate_a_client_from_a_more_specific_prefix()
    {
        var trie = V4(("10.2.0.0", 16, 1), ("10.2.5.0", 24, 2));

        var match = trie.Lookup(Bits("10.2.6.0"), 24);

        Assert.Equal((1, 16), (match.Value, match.MatchedLength));
        Assert.Equal(23, match.Scope); // 10.2.4.0/23 holds both 10.2.5.0/24 and 10.2.6.0
    }

    [Fact]
    public void A_lookup_never_uses_bits_beyond_the_source_prefix()
    {
        var trie = V4(("10.1.2.0", 24, 1));

        var match = trie.Lookup(Bits("10.1.2.0"), 16);

        Assert.False(match.Found);
        Assert.Equal(16, match.Scope);
    }

    [Fact]
    public void Ipv6_prefixes_match_on_all_128_bits()
    {
        var trie = new PrefixTrie(128);
        trie.Add(Bits("2001:db8:1::"), 48, 5);
        trie.Add(Bits("2001:db8:1:2::1"), 128, 6);

        Assert.Equal(5, trie.Lookup(Bits("2001:db8:1:3::1"), 128).Value);
        Assert.Equal(6, trie.Lookup(Bits("2001:db8:1:2::1"), 128).Value);
    }

    [Fact]
    public void Adding_the_same_prefix_twice_reports_the_first_value()
    {
        var trie = V4(("10.0.0.0", 8, 1));

        Assert.Equal(1, trie.Add(Bits("10.0.0.0"), 8, 2));
        Assert.Equal(1, trie.PrefixCount);
    }

    [Fact]
    public void A_default_route_matches_everything_with_scope_zero()
    {
        var match = V4(("0.0.0.0", 0, 9)).Lookup(Bits("192.0.2.1"), 32);

        Assert.Equal((9, 0, 0), (match.Value, match.MatchedLength, match.Scope));
    }
}
