using System.Net;

namespace Cdn.ControlPlane.Steering;

/// <summary>The addresses chosen for a site and family, and where they came from.</summary>
/// <param name="Source">Which step of the fallback produced them.</param>
/// <param name="Site">The site answered from (for <see cref="SelectionSource.Site"/> and <see cref="SelectionSource.OtherSite"/>).</param>
/// <param name="Addresses">Every routable address of that step, ordered by node id (rotation picks from these).</param>
internal sealed record Selection(SelectionSource Source, string? Site, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>Label for metrics and logs: the site name, <c>shields</c>, <c>last-resort</c> or <c>none</c>.</summary>
    public string Label => Source switch
    {
        SelectionSource.Site or SelectionSource.OtherSite => Site ?? "none",
        SelectionSource.Shields => "shields",
        SelectionSource.LastResort => "last-resort",
        _ => "none",
    };
}
