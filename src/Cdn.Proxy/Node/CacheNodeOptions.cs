using Cdn.Caching;
using Cdn.Hosting.Configuration;
using Cdn.Hosting.Security;
using Cdn.Proxy.FastPath;
using Cdn.Proxy.Policy;
using Cdn.Proxy.Security;
using Cdn.Proxy.Serving;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Node;

/// <summary>Everything a cache node (edge or shield) is configured with.</summary>
public sealed class CacheNodeOptions : IValidatableOptions
{
    /// <summary>This node's name (Via, CDN-Loop, X-Cache, control-plane registration). Default: the host name.</summary>
    public string NodeName { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>The site the node belongs to.</summary>
    public string Site { get; set; } = "local";

    /// <summary>Listeners.</summary>
    public ListenerOptions Listeners { get; set; } = new();

    /// <summary>Bearer tokens of the admin API.</summary>
    public AdminTokenOptions Admin { get; set; } = new();

    /// <summary>The cache engine (without volumes configured: one 1 GiB volume under ./data, for a laptop).</summary>
    public CacheEngineOptions Cache { get; set; } = new() { Index = new() { Directory = "data/cache/index" } };

    /// <summary>Parents and origins.</summary>
    public UpstreamOptions Upstreams { get; set; } = new();

    /// <summary>Caching defaults and key rules.</summary>
    public CachePolicyOptions Policy { get; set; } = new();

    /// <summary>Signed URLs.</summary>
    public SignedUrlOptions SignedUrls { get; set; } = new();

    /// <summary>CORS.</summary>
    public CorsOptions Cors { get; set; } = new();

    /// <summary>Limits of the zero-copy HTTP/1.1 path.</summary>
    public FastPathOptions FastPath { get; set; } = new();

    /// <summary>
    /// The control plane to register with and heartbeat to (absent: the node runs standalone). NodeId, Site
    /// and Role default to this node's.
    /// </summary>
    public Cdn.NodeAgent.NodeAgentOptions? ControlPlane { get; set; }

    /// <summary>How long a stopping node waits for in-flight responses.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Fills in list defaults after binding (the configuration binder appends to lists that already hold
    /// items, so list defaults cannot live in initializers).
    /// </summary>
    public void ApplyDefaults()
    {
        if (Cache.Volumes.Count == 0)
        {
            Cache.Volumes.Add(new() { Path = "data/cache/volume0", CapacityBytes = 1L << 30 });
        }

        if (Cors.AllowedOrigins.Count == 0)
        {
            Cors.AllowedOrigins.Add("*");
        }
    }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(!string.IsNullOrWhiteSpace(NodeName) && NodeName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'),
            OptionsErrors.Path(path, nameof(NodeName)), $"'{NodeName}' must be letters, digits, '-', '.' or '_'");
        errors.NotEmpty(Site, OptionsErrors.Path(path, nameof(Site)));
        Listeners.Validate(OptionsErrors.Path(path, nameof(Listeners)), errors);
        Admin.Validate(OptionsErrors.Path(path, nameof(Admin)), errors);
        Cache.Validate(OptionsErrors.Path(path, nameof(Cache)), errors);
        Upstreams.Validate(OptionsErrors.Path(path, nameof(Upstreams)), errors);
        Policy.Validate(OptionsErrors.Path(path, nameof(Policy)), errors);
        SignedUrls.Validate(OptionsErrors.Path(path, nameof(SignedUrls)), errors);
        Cors.Validate(OptionsErrors.Path(path, nameof(Cors)), errors);
        FastPath.Validate(OptionsErrors.Path(path, nameof(FastPath)), errors);
        errors.InRange(DrainTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(DrainTimeout)));
    }
}
