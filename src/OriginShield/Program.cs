using Cdn.Hosting;
using Cdn.Proxy.Node;

// originshield — the mid tier: caches for many edges with the same engine, so each object is fetched from
// the origin once for the whole CDN; fills from HTTP(S) origins (active health checks, failover in order or
// by weight) or from the packager's published tree on disk (file:// origins).
// Configuration: /etc/edgenode/originshield.json (or --config FILE), ORIGINSHIELD_Shield__… environment
// variables, --Shield:… command-line overrides. `originshield --check-config` validates and exits.
return await CacheNodeDaemon.RunAsync(new DaemonDescriptor("originshield", "ORIGINSHIELD_", "/etc/edgenode/originshield.json"), "Shield", "shield", args);
