using Cdn.Hosting.Configuration;

namespace Packager.Ladder;

/// <summary>An encoding profile: the codec, the audio rate and the ladder's rungs.</summary>
internal sealed class ProfileOptions : IValidatableOptions
{
    /// <summary>H264 (default) or Hevc.</summary>
    public VideoCodec Codec { get; set; } = VideoCodec.H264;

    /// <summary>AAC bit rate per audio track in kb/s.</summary>
    public int AudioBitrateKbps { get; set; } = 128;

    /// <summary>The rungs; every source gets the ones not larger than itself.</summary>
    public List<RungOptions> Rungs { get; set; } = [];

    /// <summary>The ladder from the seeds: 360p 800 kb/s up to 2160p 14 Mb/s.</summary>
    public static ProfileOptions Default() => new()
    {
        Rungs =
        [
            new() { Name = "360p", Height = 360, BitrateKbps = 800 },
            new() { Name = "480p", Height = 480, BitrateKbps = 1400 },
            new() { Name = "720p", Height = 720, BitrateKbps = 2800 },
            new() { Name = "1080p", Height = 1080, BitrateKbps = 5000 },
            new() { Name = "2160p", Height = 2160, BitrateKbps = 14000 },
        ],
    };

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(Enum.IsDefined(Codec), OptionsErrors.Path(path, nameof(Codec)), "must be H264 or Hevc");
        errors.InRange(AudioBitrateKbps, 32, 512, OptionsErrors.Path(path, nameof(AudioBitrateKbps)));
        if (errors.Require(Rungs.Count > 0, OptionsErrors.Path(path, nameof(Rungs)), "a profile needs at least one rung"))
        {
            ValidateRungs(Rungs, OptionsErrors.Path(path, nameof(Rungs)), errors);
        }
    }

    /// <summary>Checks each rung and that names and heights are unique (API-submitted ladders use this too).</summary>
    internal static void ValidateRungs(IReadOnlyList<RungOptions> rungs, string path, OptionsErrors errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var heights = new HashSet<int>();
        for (var i = 0; i < rungs.Count; i++)
        {
            var rungPath = OptionsErrors.Path(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            rungs[i].Validate(rungPath, errors);
            errors.Require(names.Add(rungs[i].Name), OptionsErrors.Path(rungPath, nameof(RungOptions.Name)), $"'{rungs[i].Name}' is used by two rungs");
            errors.Require(heights.Add(rungs[i].Height), OptionsErrors.Path(rungPath, nameof(RungOptions.Height)), $"{rungs[i].Height} is used by two rungs");
        }
    }
}
