namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>Encoded records ready to copy into a reply section, and how many there are.</summary>
internal sealed class RecordSet
{
    public static readonly RecordSet Empty = new([], 0);

    public RecordSet(byte[] bytes, int count)
    {
        Bytes = bytes;
        Count = count;
    }

    public byte[] Bytes { get; }

    public int Count { get; }

    public bool IsEmpty => Count == 0;
}
