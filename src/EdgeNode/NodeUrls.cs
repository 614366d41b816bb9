using System.Net;
using System.Net.Sockets;
using Cdn.NodeAgent;
using Cdn.Proxy.Node;
using Microsoft.AspNetCore.Builder;

namespace EdgeNode;

/// <summary>
/// What the edge tells the control plane about where to reach it, when the configuration does not say:
/// <c>CacheUrl</c> (peer edges fill from it) is the first registered address on the cleartext port;
/// <c>AdminUrl</c> (purges) is the admin listener — at the first registered address when it listens on all
/// addresses. Set either explicitly when a NAT or a management network puts them elsewhere.
/// </summary>
internal static class NodeUrls
{
    public static void Advertise(WebApplicationBuilder builder, CacheNodeOptions node, string nodeSection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(node);
        if (node.ControlPlane is not { Addresses.Count: > 0 } agent || !IPAddress.TryParse(agent.Addresses[0], out var address))
        {
            return;
        }

        var prefix = $"{nodeSection}:{nameof(CacheNodeOptions.ControlPlane)}:";
        if (builder.Configuration[prefix + nameof(NodeAgentOptions.CacheUrl)] is null && node.Listeners.Http is { } http)
        {
            builder.Configuration[prefix + nameof(NodeAgentOptions.CacheUrl)] = Url(address, http.Port);
        }

        var admin = node.Listeners.Admin.EndPoint;
        if (builder.Configuration[prefix + nameof(NodeAgentOptions.AdminUrl)] is null)
        {
            var host = admin.Address.Equals(IPAddress.Any) || admin.Address.Equals(IPAddress.IPv6Any) ? address : admin.Address;
            builder.Configuration[prefix + nameof(NodeAgentOptions.AdminUrl)] = Url(host, admin.Port);
        }
    }

    private static string Url(IPAddress host, int port)
        => host.AddressFamily == AddressFamily.InterNetworkV6 ? $"http://[{host}]:{port}/" : $"http://{host}:{port}/";
}
