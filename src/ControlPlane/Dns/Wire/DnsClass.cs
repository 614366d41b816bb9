namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>DNS classes: only IN is served.</summary>
internal static class DnsClass
{
    public const ushort In = 1;
    public const ushort Any = 255;
}
