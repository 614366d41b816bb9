namespace Cdn.ControlPlane.Dns;

/// <summary>How a query arrived (UDP replies are size-limited, TCP ones are not).</summary>
internal enum DnsTransport
{
    Udp = 0,
    Tcp = 1,
}
