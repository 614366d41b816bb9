using Cdn.Contracts.Fill;
using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Registry;

/// <summary>A site's fill window in configuration: <c>"Start": "02:00", "End": "14:00", "TimeZone": "Europe/Amsterdam"</c>.</summary>
internal sealed class FillWindowOptions : IValidatableOptions
{
    public string Start { get; set; } = "02:00";

    public string End { get; set; } = "14:00";

    /// <summary>IANA time zone of the site.</summary>
    public string TimeZone { get; set; } = "UTC";

    public FillWindow ToWindow() => new(TimeOnly.Parse(Start, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(End, System.Globalization.CultureInfo.InvariantCulture), TimeZone);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!TimeOnly.TryParse(Start, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            errors.Add(OptionsErrors.Path(path, nameof(Start)), $"'{Start}' is not a time of day (HH:mm)");
        }

        if (!TimeOnly.TryParse(End, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            errors.Add(OptionsErrors.Path(path, nameof(End)), $"'{End}' is not a time of day (HH:mm)");
        }

        if (SiteRules.TimeZoneProblem(TimeZone) is { } problem)
        {
            errors.Add(OptionsErrors.Path(path, nameof(TimeZone)), problem);
        }
    }
}
