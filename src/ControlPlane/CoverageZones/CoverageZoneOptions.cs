using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.CoverageZones;

/// <summary>Where coverage zones come from (section <c>CoverageZones</c>).</summary>
internal sealed class CoverageZoneOptions : IValidatableOptions
{
    /// <summary>
    /// A Traffic Control coverage zone file, watched for changes (and its timestamp checked on every state
    /// refresh, <c>Health:RefreshInterval</c>, since watches miss some atomic renames). Optional: without it
    /// the zones put through the API (stored) are used. A PUT through the API also rewrites this file, so a
    /// restart keeps it.
    /// </summary>
    public string? File { get; set; }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrEmpty(File))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(File));
            if (dir is not null && !Directory.Exists(dir))
            {
                errors.Add(OptionsErrors.Path(path, nameof(File)), $"directory '{dir}' does not exist");
            }
        }

    }
}
