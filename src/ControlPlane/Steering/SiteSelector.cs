using System.Net;
using System.Net.Sockets;
using Cdn.Contracts.Nodes;

namespace Cdn.ControlPlane.Steering;

/// <summary>
/// Chooses the addresses for a client's site: that site's routable edges; else each site of its fallback
/// order in turn; else the routable shields (those of the fallback sites first); else any other site's
/// edges; else the configured last resort. So the answer is never empty while anything is up. Runs when a
/// view is rebuilt and for the route API, never per packet.
/// </summary>
internal static class SiteSelector
{
    /// <summary>
    /// Selects for <paramref name="site"/> (null: the client matched no coverage zone) and one address family.
    /// Each decision step is appended to <paramref name="reasons"/> when given.
    /// </summary>
    public static Selection Select(SteeringInput input, string? site, AddressFamily family, List<string>? reasons = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var chain = Chain(input, site, reasons);
        foreach (var name in chain)
        {
            var found = Routable(input, NodeRole.Edge, name, family, reasons);
            if (found.Count > 0)
            {
                reasons?.Add($"site {name}: {found.Count} routable {Family(family)} edge address(es)");
                return new Selection(SelectionSource.Site, name, found);
            }

            reasons?.Add($"site {name}: no routable {Family(family)} edge");
        }

        var shields = new List<IPAddress>();
        foreach (var name in chain)
        {
            shields.AddRange(Routable(input, NodeRole.Shield, name, family, null));
        }

        foreach (var s in input.Sites)
        {
            if (!chain.Contains(s.Name))
            {
                shields.AddRange(Routable(input, NodeRole.Shield, s.Name, family, null));
            }
        }

        if (shields.Count > 0)
        {
            reasons?.Add($"no edge in the fallback order: {shields.Count} shield address(es)");
            return new Selection(SelectionSource.Shields, null, shields);
        }

        foreach (var s in input.Sites)
        {
            if (chain.Contains(s.Name))
            {
                continue;
            }

            var found = Routable(input, NodeRole.Edge, s.Name, family, null);
            if (found.Count > 0)
            {
                reasons?.Add($"no shield up: edges of site {s.Name}, outside the fallback order");
                return new Selection(SelectionSource.OtherSite, s.Name, found);
            }
        }

        var lastResort = new List<IPAddress>();
        foreach (var address in input.LastResort)
        {
            if (address.AddressFamily == family)
            {
                lastResort.Add(address);
            }
        }

        if (lastResort.Count > 0)
        {
            reasons?.Add("nothing routable: the configured last resort");
            return new Selection(SelectionSource.LastResort, null, lastResort);
        }

        reasons?.Add($"nothing routable and no {Family(family)} last resort configured");
        return new Selection(SelectionSource.None, null, []);
    }

    /// <summary>The client's site then its fallbacks (unknown names skipped); unlocated clients get the default site's chain, or every site.</summary>
    public static List<string> Chain(SteeringInput input, string? site, List<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(input);
        var chain = new List<string>();
        if (site is null)
        {
            if (input.DefaultSite is { } fallbackSite && Find(input, fallbackSite) is not null)
            {
                reasons?.Add($"no coverage zone matched: default site {fallbackSite}");
                site = fallbackSite;
            }
            else
            {
                reasons?.Add("no coverage zone matched and no default site: every site in configured order");
                foreach (var s in input.Sites)
                {
                    chain.Add(s.Name);
                }

                return chain;
            }
        }

        var start = Find(input, site);
        if (start is null)
        {
            reasons?.Add($"site {site} is not configured");
            return chain;
        }

        chain.Add(start.Name);
        foreach (var next in start.Fallbacks)
        {
            if (Find(input, next) is null)
            {
                reasons?.Add($"fallback {next} of site {start.Name} is not configured: skipped");
            }
            else if (!chain.Contains(next))
            {
                chain.Add(next);
            }
        }

        return chain;
    }

    private static List<IPAddress> Routable(SteeringInput input, NodeRole role, string site, AddressFamily family, List<string>? reasons)
    {
        var found = new List<IPAddress>();
        foreach (var node in input.Nodes)
        {
            if (node.Role != role || !string.Equals(node.Site, site, StringComparison.Ordinal))
            {
                continue;
            }

            if (!node.Routable)
            {
                reasons?.Add($"{node.NodeId} skipped: {node.Reason}");
                continue;
            }

            foreach (var address in node.Addresses)
            {
                if (address.AddressFamily == family)
                {
                    found.Add(address);
                }
            }
        }

        return found;
    }

    private static SteeringSite? Find(SteeringInput input, string name)
    {
        foreach (var s in input.Sites)
        {
            if (string.Equals(s.Name, name, StringComparison.Ordinal))
            {
                return s;
            }
        }

        return null;
    }

    private static string Family(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
