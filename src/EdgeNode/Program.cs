using Cdn.Hosting;
using Cdn.Proxy.Node;
using EdgeNode;

// edgenode — serves HLS to players from its cache; fills misses from the origin shields, then the origin, and
// fills ahead of demand from the site's fill plan inside the fill window (Fill/README.md).
// Configuration: /etc/edgenode/edgenode.json (or --config FILE), EDGENODE_Edge__… environment variables,
// --Edge:… command-line overrides. `edgenode --check-config` validates and exits.
return await CacheNodeDaemon.RunAsync(EdgeDaemon.Descriptor, args, EdgeDaemon.Build);
