using System.Text.Json.Nodes;
using Cdn.Hosting.Tls;

namespace LocalCdn.Nodes;

/// <summary>The configuration file of a cache daemon (<c>edgenode</c>, <c>originshield</c>) started by <see cref="CacheNodeProcess"/>.</summary>
public static class CacheNodeConfiguration
{
    /// <summary>The daemon's configuration file for <paramref name="settings"/> on <paramref name="ports"/>.</summary>
    public static JsonObject Build(CacheNodeSettings settings, CacheNodePorts ports, TlsOptions? tls)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(ports);
        var listeners = new JsonObject
        {
            ["Http"] = new JsonObject { ["Address"] = settings.Address, ["Port"] = ports.Http },
            ["Admin"] = new JsonObject { ["Address"] = settings.Address, ["Port"] = ports.Admin },
        };
        if (tls is not null)
        {
            listeners["Https"] = new JsonObject
            {
                ["Address"] = settings.Address,
                ["Port"] = ports.Https,
                ["Tls"] = new JsonObject { ["CertificatePath"] = tls.CertificatePath, ["KeyPath"] = tls.KeyPath },
            };
        }

        var parents = new JsonArray();
        foreach (var parent in settings.Parents)
        {
            var entry = new JsonObject { ["Name"] = parent.Name, ["Url"] = parent.Url.AbsoluteUri };
            if (parent.HealthCheckUrl is { } health)
            {
                entry["HealthCheckUrl"] = health.AbsoluteUri;
            }

            parents.Add(entry);
        }

        var origins = new JsonArray();
        foreach (var origin in settings.Origins)
        {
            origins.Add(new JsonObject { ["Url"] = origin });
        }

        var node = new JsonObject
        {
            ["NodeName"] = settings.Name,
            ["Site"] = settings.Site,
            ["Listeners"] = listeners,
            ["Admin"] = new JsonObject { ["Tokens"] = new JsonArray(settings.AdminToken) },
            ["Cache"] = new JsonObject
            {
                ["Name"] = settings.Daemon.Section.ToLowerInvariant(),
                ["Volumes"] = new JsonArray(new JsonObject { ["Path"] = Path.Combine(settings.Directory, "cache", "volume0"), ["CapacityBytes"] = settings.CacheCapacityBytes }),
                ["Index"] = new JsonObject { ["Directory"] = Path.Combine(settings.Directory, "cache", "index"), ["MemoryBytes"] = 64L << 20, ["HashTableBytes"] = 8L << 20 },
            },
            ["Upstreams"] = new JsonObject { ["Parents"] = parents, ["Origins"] = origins },
        };
        if (settings.ControlPlane is not null)
        {
            node["ControlPlane"] = settings.ControlPlane.DeepClone();
        }

        var config = new JsonObject
        {
            [settings.Daemon.Section] = node,
            ["Logging"] = new JsonObject
            {
                ["LogLevel"] = new JsonObject
                {
                    ["Default"] = "Information",
                    ["Microsoft.AspNetCore"] = "Warning",
                    ["Cdn.Access"] = settings.AccessLog ? "Information" : "Warning",
                },
            },
        };
        if (settings.Fill is not null)
        {
            config["Fill"] = settings.Fill.DeepClone();
        }

        return config;
    }
}
