using Cdn.Contracts.Routing;
using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Registry;

/// <summary>A site from configuration.</summary>
internal sealed class SiteOptions : IValidatableOptions
{
    public string Name { get; set; } = "";

    /// <summary>City or PoP, free text.</summary>
    public string Location { get; set; } = "";

    public FillWindowOptions FillWindow { get; set; } = new();

    /// <summary>Cache bytes across the site's edges available to fill plans.</summary>
    public long CapacityBytes { get; set; }

    /// <summary>Sites tried in order when this one has no routable edge.</summary>
    public List<string> Fallbacks { get; set; } = [];

    /// <summary>Coverage zones (CZF names) routed to this site; empty means the zone named like the site.</summary>
    public List<string> CoverageZones { get; set; } = [];

    public SiteInfo ToSite() => new(Name, Location, FillWindow.ToWindow(), CapacityBytes, [.. Fallbacks], CoverageZones.Count == 0 ? null : [.. CoverageZones]);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (SiteRules.NameProblem(Name) is { } problem)
        {
            errors.Add(OptionsErrors.Path(path, nameof(Name)), problem);
        }

        FillWindow.Validate(OptionsErrors.Path(path, nameof(FillWindow)), errors);
        errors.InRange(CapacityBytes, 0, long.MaxValue, OptionsErrors.Path(path, nameof(CapacityBytes)));
    }
}
