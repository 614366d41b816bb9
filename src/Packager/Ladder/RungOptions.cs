using System.Text.RegularExpressions;
using Cdn.Hosting.Configuration;

namespace Packager.Ladder;

/// <summary>One rung of a ladder: a picture size (by its short side) and a bit rate.</summary>
internal sealed partial class RungOptions : IValidatableOptions
{
    /// <summary>Rendition name, also its directory under the title (e.g. <c>720p</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Short side of the picture in pixels (the height of landscape video, the width of portrait video).</summary>
    public int Height { get; set; }

    /// <summary>Target average video bit rate in kb/s.</summary>
    public int BitrateKbps { get; set; }

    /// <summary>VBV peak rate in kb/s; default 110 % of <see cref="BitrateKbps"/>.</summary>
    public int? MaxBitrateKbps { get; set; }

    /// <summary>The peak rate in force.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveMaxBitrateKbps => MaxBitrateKbps ?? (int)Math.Round(BitrateKbps * 1.1);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.NotEmpty(Name, OptionsErrors.Path(path, nameof(Name))))
        {
            errors.Require(NamePattern().IsMatch(Name), OptionsErrors.Path(path, nameof(Name)), $"'{Name}' is not a valid rendition name (letters, digits, '-', '_'; at most 32; it becomes a directory name)");
        }

        errors.InRange(Height, 64, 4320, OptionsErrors.Path(path, nameof(Height)));
        errors.Require(Height % 2 == 0, OptionsErrors.Path(path, nameof(Height)), $"must be even (4:2:0 video), got {Height}");
        errors.InRange(BitrateKbps, 64, 200_000, OptionsErrors.Path(path, nameof(BitrateKbps)));
        if (MaxBitrateKbps is { } max)
        {
            errors.Require(max >= BitrateKbps && max <= 400_000, OptionsErrors.Path(path, nameof(MaxBitrateKbps)), $"must be at least {nameof(BitrateKbps)} ({BitrateKbps}) and at most 400000, got {max}");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
    internal static partial Regex NamePattern();
}
