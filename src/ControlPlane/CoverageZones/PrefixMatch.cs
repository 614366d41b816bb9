namespace Cdn.ControlPlane.CoverageZones;

/// <summary>
/// The result of a longest-prefix lookup. <see cref="Scope"/> is how many leading bits of the address decided
/// the result: the matched prefix length when nothing more specific lies beneath it on the address's path,
/// else the depth at which the path left the trie (so a resolver caching the answer for that scope never
/// applies it to a client that a more specific prefix would send elsewhere).
/// </summary>
internal readonly struct PrefixMatch
{
    public PrefixMatch(int value, int matchedLength, int scope)
    {
        Value = value;
        MatchedLength = matchedLength;
        Scope = scope;
    }

    /// <summary>The value stored with the longest matching prefix, or -1.</summary>
    public int Value { get; }

    /// <summary>Length of the matching prefix, or -1 when none matched.</summary>
    public int MatchedLength { get; }

    public int Scope { get; }

    public bool Found => Value >= 0;
}
