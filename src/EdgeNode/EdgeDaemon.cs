using Cdn.Hosting;
using Cdn.Proxy.Node;
using EdgeNode.Fill;
using Microsoft.AspNetCore.Builder;

namespace EdgeNode;

/// <summary>The <c>edgenode</c> daemon: a cache node (section <c>Edge</c>) plus the fill agent (section <c>Fill</c>).</summary>
internal static class EdgeDaemon
{
    public const string NodeSection = "Edge";

    public static readonly DaemonDescriptor Descriptor = new("edgenode", "EDGENODE_", "/etc/edgenode/edgenode.json");

    /// <summary>Builds the daemon from a builder made by <see cref="DaemonHost.CreateBuilder"/>.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var node = builder.AddCacheNode(NodeSection, "edge");
        NodeUrls.Advertise(builder, node, NodeSection);
        builder.AddFillAgent(node);
        var app = builder.Build();
        app.UseCacheNode();
        return app;
    }
}
