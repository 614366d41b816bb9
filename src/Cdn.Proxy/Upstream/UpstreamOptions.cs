using Cdn.Hosting.Configuration;

namespace Cdn.Proxy.Upstream;

/// <summary>How origins are tried when several are configured.</summary>
public enum OriginSelection
{
    /// <summary>In configured order: the first healthy one, the next on failure.</summary>
    Ordered,

    /// <summary>By weight (rendezvous hashing per object, so each object sticks to one origin while it is healthy).</summary>
    Weighted,
}

/// <summary>The servers a node fills from: parents (shields) first, then origins.</summary>
public sealed class UpstreamOptions : IValidatableOptions
{
    /// <summary>Parent caches (origin shields). An object goes to the parent rendezvous hashing picks; on failure, the next.</summary>
    public List<UpstreamServerOptions> Parents { get; set; } = [];

    /// <summary>Origins, tried after the parents (or alone when there are none).</summary>
    public List<UpstreamServerOptions> Origins { get; set; } = [];

    /// <summary>Origin order.</summary>
    public OriginSelection OriginSelection { get; set; } = OriginSelection.Ordered;

    /// <summary>TCP connect timeout (a dead box should not hold a request for the OS's 2 minutes).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time from sending a request to having response headers.</summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest pause between two body reads before a fill is abandoned as stalled.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections per upstream server.</summary>
    public int MaxConnectionsPerServer { get; set; } = 512;

    /// <summary>Consecutive failures that mark a server down.</summary>
    public int FailuresToMarkDown { get; set; } = 3;

    /// <summary>How long a down server is skipped before one request probes it again.</summary>
    public TimeSpan DownTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Active health checks. When set, every origin is probed; a parent (or origin) with a
    /// <see cref="UpstreamServerOptions.HealthCheckUrl"/> is probed at that URL, with these settings or, when
    /// this is absent, the defaults. Absent and no HealthCheckUrl anywhere: passive health only.
    /// </summary>
    public ActiveHealthCheckOptions? HealthCheck { get; set; }

    /// <summary>The health check settings in force, or null when nothing is probed.</summary>
    internal ActiveHealthCheckOptions? EffectiveHealthCheck
        => HealthCheck ?? (Parents.Concat(Origins).Any(s => s.HealthCheckUrl is not null) ? new ActiveHealthCheckOptions() : null);

    /// <summary>Send the client's Host header upstream (true for parents and CDN-aware origins) instead of the origin URL's host.</summary>
    public bool PreserveHost { get; set; } = true;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(Parents.Count + Origins.Count > 0, path, "at least one parent or origin is needed");
        for (var i = 0; i < Parents.Count; i++)
        {
            Parents[i].Validate(OptionsErrors.Path(path, $"{nameof(Parents)}:{i}"), errors);
        }

        for (var i = 0; i < Origins.Count; i++)
        {
            Origins[i].Validate(OptionsErrors.Path(path, $"{nameof(Origins)}:{i}"), errors);
        }

        errors.InRange(ConnectTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), OptionsErrors.Path(path, nameof(ConnectTimeout)));
        errors.InRange(FirstByteTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(FirstByteTimeout)));
        errors.InRange(IdleTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(IdleTimeout)));
        errors.InRange(MaxConnectionsPerServer, 1, 100_000, OptionsErrors.Path(path, nameof(MaxConnectionsPerServer)));
        errors.InRange(FailuresToMarkDown, 1, 1000, OptionsErrors.Path(path, nameof(FailuresToMarkDown)));
        errors.InRange(DownTime, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(DownTime)));
        HealthCheck?.Validate(OptionsErrors.Path(path, nameof(HealthCheck)), errors);
    }
}

/// <summary>One upstream server.</summary>
public sealed class UpstreamServerOptions : IValidatableOptions
{
    /// <summary>Base URL: <c>http://10.0.0.2:8080</c>, <c>https://origin.example</c>, or <c>file:///srv/origin</c> for a local tree (shields).</summary>
    public string Url { get; set; } = "";

    /// <summary>Name in logs and metrics (default: the URL's authority).</summary>
    public string? Name { get; set; }

    /// <summary>Relative share of objects (rendezvous weight).</summary>
    public double Weight { get; set; } = 1;

    /// <summary>
    /// An absolute URL probed instead of <see cref="ActiveHealthCheckOptions.Path"/> on this server. A parent is
    /// probed only when it has one: for a shield, its admin listener's <c>/readyz</c> (no token needed), so a
    /// wedged or draining shield is skipped without a live request spent on it.
    /// </summary>
    public string? HealthCheckUrl { get; set; }

    /// <summary>The URL, parsed.</summary>
    public Uri Uri => new(Url);

    /// <summary>The display name.</summary>
    public string DisplayName => Name ?? (Uri.IsFile ? Uri.LocalPath : Uri.Authority);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "file"))
        {
            errors.Add(OptionsErrors.Path(path, nameof(Url)), $"'{Url}' is not an http://, https:// or file:// URL");
        }
        else if (uri.IsFile && !Directory.Exists(uri.LocalPath))
        {
            errors.Add(OptionsErrors.Path(path, nameof(Url)), $"origin directory '{uri.LocalPath}' does not exist");
        }

        if (HealthCheckUrl is not null && (!Uri.TryCreate(HealthCheckUrl, UriKind.Absolute, out var probe) || probe.Scheme is not ("http" or "https")))
        {
            errors.Add(OptionsErrors.Path(path, nameof(HealthCheckUrl)), $"'{HealthCheckUrl}' is not an http:// or https:// URL");
        }

        errors.Require(Weight is > 0 and <= 1000, OptionsErrors.Path(path, nameof(Weight)), $"must be between 0 (exclusive) and 1000, got {Weight}");
    }
}
