using Cdn.ControlPlane.Dns.Wire;

namespace Cdn.ControlPlane.Dns;

/// <summary>A name that exists in one of our zones, with its static records.</summary>
internal sealed class DnsNameEntry
{
    public DnsNameEntry(DnsZone zone, DnsNameKind kind, RecordSet staticA, RecordSet staticAaaa)
    {
        Zone = zone;
        Kind = kind;
        StaticA = staticA;
        StaticAaaa = staticAaaa;
    }

    public DnsZone Zone { get; }

    public DnsNameKind Kind { get; }

    /// <summary>Name-server glue answered for the name itself (owner = pointer to the question).</summary>
    public RecordSet StaticA { get; }

    public RecordSet StaticAaaa { get; }

    public bool Is(DnsNameKind kind) => (Kind & kind) != 0;
}
