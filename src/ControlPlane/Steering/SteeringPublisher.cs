using System.Net;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Dns;
using Cdn.ControlPlane.Registry;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Steering;

/// <summary>
/// Rebuilds and publishes the answer view whenever anything it depends on changes: node routability
/// (health, drain, shutdown, addresses), sites, coverage zones, DNS settings. Rebuilds are serialized and
/// each one reads a consistent snapshot, so the view never mixes two states.
/// </summary>
internal sealed class SteeringPublisher
{
    private readonly NodeRegistry _nodes;
    private readonly SiteCatalog _sites;
    private readonly ActiveCoverageZones _zones;
    private readonly LiveOptions<DnsOptions> _dns;
    private readonly SteeringState _state;
    private readonly ILogger<SteeringPublisher> _logger;
    private readonly Lock _lock = new();
    private long _version;

    public SteeringPublisher(NodeRegistry nodes, SiteCatalog sites, ActiveCoverageZones zones, LiveOptions<DnsOptions> dns, SteeringState state, ILogger<SteeringPublisher> logger)
    {
        _nodes = nodes;
        _sites = sites;
        _zones = zones;
        _dns = dns;
        _state = state;
        _logger = logger;
        nodes.RoutingChanged += Rebuild;
        sites.Changed += Rebuild;
        zones.Changed += Rebuild;
        dns.Changed += _ => Rebuild();
    }

    /// <summary>The inputs as they are now (also used by the route API to explain a decision).</summary>
    public SteeringInput Input()
    {
        var sites = new List<SteeringSite>();
        foreach (var site in _sites.Sites)
        {
            sites.Add(new SteeringSite(site.Name, site.Fallbacks ?? [], site.CoverageZones ?? []));
        }

        var nodes = new List<SteeringNode>();
        foreach (var (node, verdict) in _nodes.Snapshot())
        {
            var addresses = new List<IPAddress>();
            foreach (var text in node.Registration.Addresses)
            {
                if (IPAddress.TryParse(text, out var address))
                {
                    addresses.Add(address);
                }
            }

            string? reason = verdict.State != NodeState.Up ? $"{verdict.State.ToString().ToLowerInvariant()}: {verdict.Reason}"
                : node.Drained ? "drained by operator"
                : node.ShuttingDown ? "shutting down"
                : null;
            nodes.Add(new SteeringNode(node.NodeId, node.Registration.Role, node.Registration.Site, addresses, reason is null, reason));
        }

        var dns = _dns.Current;
        return new SteeringInput(sites, nodes, _zones.Current, _sites.DefaultSite, dns.LastResortAddresses(), dns.MaxAnswers, (uint)dns.Ttl.Edge);
    }

    public void Rebuild()
    {
        lock (_lock)
        {
            var input = Input();
            var view = SteeringViewBuilder.Build(input, ++_version, _state.Labels);
            _state.Publish(view);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                ControlPlaneLog.ViewPublished(_logger, view.Version, Summary(view));
            }
        }
    }

    private static string Summary(SteeringView view)
    {
        var text = new System.Text.StringBuilder();
        for (var slot = 0; slot < view.SlotNames.Length; slot++)
        {
            if (slot > 0)
            {
                text.Append("; ");
            }

            text.Append(view.SlotNames[slot]).Append(" -> ").Append(view.IPv4[slot].Selection.Label)
                .Append(" (").Append(view.IPv4[slot].Selection.Addresses.Count).Append(" v4, ")
                .Append(view.IPv6[slot].Selection.Addresses.Count).Append(" v6)");
        }

        return text.ToString();
    }
}
