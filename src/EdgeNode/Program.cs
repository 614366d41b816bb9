using Cdn.Hosting;
using Cdn.Proxy.Node;

// edgenode — serves HLS to players from its cache; fills misses from the origin shields, then the origin.
// Configuration: /etc/edgenode/edgenode.json (or --config FILE), EDGENODE_Edge__… environment variables,
// --Edge:… command-line overrides. `edgenode --check-config` validates and exits.
var daemon = new DaemonDescriptor("edgenode", "EDGENODE_", "/etc/edgenode/edgenode.json");
try
{
    return await DaemonHost.RunAsync(daemon, args, builder =>
    {
        builder.AddCacheNode("Edge", "edge");
        var app = builder.Build();
        app.UseCacheNode();
        return app;
    });
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    // The cache (index or a volume) cannot be opened: nothing to serve from.
    await Console.Error.WriteLineAsync($"edgenode: cannot open the cache: {ex.Message}");
    return 73;
}
