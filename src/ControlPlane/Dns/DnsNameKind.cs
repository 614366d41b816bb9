namespace Cdn.ControlPlane.Dns;

/// <summary>What a name inside one of our zones is.</summary>
[Flags]
internal enum DnsNameKind
{
    /// <summary>Exists only because a name below it does (an empty non-terminal): NODATA for every type.</summary>
    Empty = 0,

    /// <summary>The zone apex: SOA and NS.</summary>
    Apex = 1,

    /// <summary>A steered CDN host name: A/AAAA from the answer view.</summary>
    Steered = 2,

    /// <summary>A name server with glue addresses.</summary>
    NameServer = 4,
}
