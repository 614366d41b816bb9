using System.Net;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Registry;

namespace Cdn.ControlPlane.Api;

/// <summary>Checks a registration before it reaches the store; every problem is reported.</summary>
internal static class NodeValidation
{
    public static List<string> Check(NodeRegistration registration, SiteCatalog sites)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(sites);
        var problems = new List<string>();
        if (SiteRules.NameProblem(registration.NodeId) is { } id)
        {
            problems.Add($"nodeId: {id}");
        }

        if (!Enum.IsDefined(registration.Role))
        {
            problems.Add("role: must be edge or shield");
        }

        if (string.IsNullOrEmpty(registration.Site))
        {
            problems.Add("site: must be set");
        }
        else if (sites.Find(registration.Site) is null)
        {
            problems.Add($"site: '{registration.Site}' is not a configured site");
        }

        if (registration.Addresses is null || registration.Addresses.Count == 0)
        {
            problems.Add("addresses: list at least one IPv4 or IPv6 address players reach the node on");
        }
        else
        {
            foreach (var text in registration.Addresses)
            {
                if (!IPAddress.TryParse(text, out var address) || text.Contains('%', StringComparison.Ordinal))
                {
                    problems.Add($"addresses: '{text}' is not an IP address");
                }
                else if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                {
                    problems.Add($"addresses: '{text}' is not a reachable address");
                }
            }
        }

        if (double.IsNaN(registration.CapacityGbps) || registration.CapacityGbps < 0 || registration.CapacityGbps > 100_000)
        {
            problems.Add("capacityGbps: must be between 0 and 100000");
        }

        return problems;
    }
}
