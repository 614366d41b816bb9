using Cdn.Hosting;
using EdgeNode;

// edgenode — serves HLS to players from its cache; fills misses from the origin shields, then the origin, and
// fills ahead of demand from the site's fill plan inside the fill window (Fill/README.md).
// Configuration: /etc/edgenode/edgenode.json (or --config FILE), EDGENODE_Edge__… environment variables,
// --Edge:… command-line overrides. `edgenode --check-config` validates and exits.
try
{
    return await DaemonHost.RunAsync(EdgeDaemon.Descriptor, args, EdgeDaemon.Build);
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    // The cache (index or a volume) cannot be opened: nothing to serve from.
    await Console.Error.WriteLineAsync($"edgenode: cannot open the cache: {ex.Message}");
    return 73;
}
