using Cdn.Hosting;
using Cdn.Proxy.Node;

// edgenode — serves HLS to players from its cache; fills misses from the origin shields, then the origin.
// Configuration: /etc/edgenode/edgenode.json (or --config FILE), EDGENODE_Edge__… environment variables,
// --Edge:… command-line overrides. `edgenode --check-config` validates and exits.
return await CacheNodeDaemon.RunAsync(new DaemonDescriptor("edgenode", "EDGENODE_", "/etc/edgenode/edgenode.json"), "Edge", "edge", args);
