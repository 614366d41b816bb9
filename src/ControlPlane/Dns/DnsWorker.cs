namespace Cdn.ControlPlane.Dns;

/// <summary>State one receive loop owns: its counters and its rotation position (no sharing on the UDP path).</summary>
internal sealed class DnsWorker
{
    public DnsWorker(DnsCounters counters) => Counters = counters;

    public DnsCounters Counters { get; }

    /// <summary>Advances per steered answer so consecutive players get the site's edges in turn.</summary>
    public uint Rotation { get; set; }
}
