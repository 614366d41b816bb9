using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Registry;

/// <summary>Sites and steering defaults (section <c>Registry</c>). Sites put through the API are stored and override these.</summary>
internal sealed class RegistryOptions : IValidatableOptions
{
    public List<SiteOptions> Sites { get; set; } = [];

    /// <summary>Site for clients no coverage zone matches; unset: every site in configured order.</summary>
    public string? DefaultSite { get; set; }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Sites.Count; i++)
        {
            var at = OptionsErrors.Path(path, $"{nameof(Sites)}:{i}");
            Sites[i].Validate(at, errors);
            if (Sites[i].Name.Length > 0 && !names.Add(Sites[i].Name))
            {
                errors.Add(OptionsErrors.Path(at, nameof(SiteOptions.Name)), $"site '{Sites[i].Name}' is configured twice");
            }
        }

        for (var i = 0; i < Sites.Count; i++)
        {
            for (var f = 0; f < Sites[i].Fallbacks.Count; f++)
            {
                var fallback = Sites[i].Fallbacks[f];
                if (!names.Contains(fallback) || fallback == Sites[i].Name)
                {
                    errors.Add(OptionsErrors.Path(path, $"{nameof(Sites)}:{i}:{nameof(SiteOptions.Fallbacks)}:{f}"), fallback == Sites[i].Name
                        ? "a site cannot fall back to itself"
                        : $"'{fallback}' is not a configured site");
                }
            }
        }

        if (!string.IsNullOrEmpty(DefaultSite) && !names.Contains(DefaultSite))
        {
            errors.Add(OptionsErrors.Path(path, nameof(DefaultSite)), $"'{DefaultSite}' is not a configured site");
        }
    }
}
