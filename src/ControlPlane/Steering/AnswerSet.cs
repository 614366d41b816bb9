using Cdn.ControlPlane.Dns.Wire;

namespace Cdn.ControlPlane.Steering;

/// <summary>
/// Pre-encoded answer sections for one (site, family): rotation i holds up to MaxAnswers records starting at
/// the i-th address, each owned by a pointer to the question name, so a reply is a copy of one rotation.
/// </summary>
internal sealed class AnswerSet
{
    public AnswerSet(byte[][] rotations, int recordCount, int sourceIndex, Selection selection)
    {
        Rotations = rotations;
        RecordCount = recordCount;
        SourceIndex = sourceIndex;
        Selection = selection;
    }

    public byte[][] Rotations { get; }

    /// <summary>Records in every rotation.</summary>
    public int RecordCount { get; }

    /// <summary>Index into <see cref="AnswerSourceLabels"/> for the answers-by-site metric.</summary>
    public int SourceIndex { get; }

    public Selection Selection { get; }

    public bool IsEmpty => RecordCount == 0;

    /// <summary>The rotation for a counter value.</summary>
    public byte[] Pick(uint counter) => Rotations[(int)(counter % (uint)Rotations.Length)];

    public static AnswerSet Build(Selection selection, int maxAnswers, uint ttl, int sourceIndex)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var addresses = selection.Addresses;
        if (addresses.Count == 0)
        {
            return new AnswerSet([[]], 0, sourceIndex, selection);
        }

        var encoded = new byte[addresses.Count][];
        for (var i = 0; i < addresses.Count; i++)
        {
            encoded[i] = DnsRecordEncoder.Address(DnsRecordEncoder.QuestionPointer, addresses[i], ttl);
        }

        var take = Math.Min(maxAnswers, addresses.Count);
        var rotations = new byte[addresses.Count][];
        var window = new byte[take][];
        for (var start = 0; start < addresses.Count; start++)
        {
            for (var k = 0; k < take; k++)
            {
                window[k] = encoded[(start + k) % addresses.Count];
            }

            rotations[start] = DnsRecordEncoder.Concat(window);
        }

        return new AnswerSet(rotations, take, sourceIndex, selection);
    }
}
