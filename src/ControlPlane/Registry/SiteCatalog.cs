using Cdn.Contracts.Routing;
using Cdn.ControlPlane.Storage;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Registry;

/// <summary>
/// Sites in force: those from configuration, overridden or extended by sites put through the API (stored, so
/// every replica and restart sees them). Immutable list swapped on change.
/// </summary>
internal sealed class SiteCatalog
{
    private readonly IRegistryStore _store;
    private readonly LiveOptions<RegistryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SiteCatalog> _logger;
    private readonly Lock _lock = new();
    private IReadOnlyList<SiteInfo> _stored = [];
    private IReadOnlyList<SiteInfo> _sites = [];

    public SiteCatalog(IRegistryStore store, LiveOptions<RegistryOptions> options, TimeProvider time, ILogger<SiteCatalog> logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        Recompute();
        options.Changed += _ => Recompute();
    }

    public event Action? Changed;

    public IReadOnlyList<SiteInfo> Sites => Volatile.Read(ref _sites);

    public string? DefaultSite => string.IsNullOrEmpty(_options.Current.DefaultSite) ? null : _options.Current.DefaultSite;

    public SiteInfo? Find(string name)
    {
        foreach (var site in Sites)
        {
            if (string.Equals(site.Name, name, StringComparison.Ordinal))
            {
                return site;
            }
        }

        return null;
    }

    /// <summary>Every problem with a site put through the API (empty when valid).</summary>
    public IReadOnlyList<string> Check(SiteInfo site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var problems = new List<string>();
        if (SiteRules.NameProblem(site.Name) is { } name)
        {
            problems.Add($"name: {name}");
        }

        if (site.FillWindow is null)
        {
            problems.Add("fillWindow: must be set (start, end, timeZone)");
        }
        else if (SiteRules.TimeZoneProblem(site.FillWindow.TimeZone) is { } zone)
        {
            problems.Add($"fillWindow.timeZone: {zone}");
        }

        if (site.CapacityBytes < 0)
        {
            problems.Add("capacityBytes: must not be negative");
        }

        foreach (var fallback in site.Fallbacks ?? [])
        {
            if (fallback == site.Name)
            {
                problems.Add("fallbacks: a site cannot fall back to itself");
            }
            else if (Find(fallback) is null)
            {
                problems.Add($"fallbacks: '{fallback}' is not a known site");
            }
        }

        return problems;
    }

    public async Task SaveAsync(SiteInfo site, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        site = site with { Fallbacks = site.Fallbacks ?? [], Location = site.Location ?? "" };
        await _store.SaveSiteAsync(site, _time.GetUtcNow(), cancellationToken);
        ControlPlaneLog.SiteSaved(_logger, site.Name, string.Join(',', site.Fallbacks));
        lock (_lock)
        {
            var stored = new List<SiteInfo>(_stored.Count + 1);
            foreach (var s in _stored)
            {
                if (s.Name != site.Name)
                {
                    stored.Add(s);
                }
            }

            stored.Add(site);
            _stored = stored;
        }

        Recompute();
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.LoadSitesAsync(cancellationToken);
        lock (_lock)
        {
            _stored = stored;
        }

        Recompute();
    }

    private void Recompute()
    {
        bool changed;
        lock (_lock)
        {
            var merged = new List<SiteInfo>();
            foreach (var configured in _options.Current.Sites)
            {
                var site = configured.ToSite();
                foreach (var s in _stored)
                {
                    if (s.Name == site.Name)
                    {
                        site = s;
                    }
                }

                merged.Add(site);
            }

            foreach (var s in _stored)
            {
                if (!merged.Exists(m => m.Name == s.Name))
                {
                    merged.Add(s);
                }
            }

            changed = !Same(merged, _sites);
            Volatile.Write(ref _sites, merged);
        }

        if (changed)
        {
            Changed?.Invoke();
        }
    }

    private static bool Same(List<SiteInfo> a, IReadOnlyList<SiteInfo> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (System.Text.Json.JsonSerializer.Serialize(a[i], Contracts.CdnJson.Default.SiteInfo) != System.Text.Json.JsonSerializer.Serialize(b[i], Contracts.CdnJson.Default.SiteInfo))
            {
                return false;
            }
        }

        return true;
    }
}
