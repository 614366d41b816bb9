using Cdn.Hosting.Configuration;
using Packager.Ladder;

namespace Packager.Encoding;

/// <summary>How sources are encoded and segmented (configuration section <c>Encoding</c>).</summary>
internal sealed class EncodingOptions : IValidatableOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Encoding";

    private static readonly string[] X264Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    /// <summary>The ffmpeg binary (name on PATH or full path).</summary>
    public string Ffmpeg { get; set; } = "ffmpeg";

    /// <summary>The ffprobe binary.</summary>
    public string Ffprobe { get; set; } = "ffprobe";

    /// <summary>Segment length; every rendition has a keyframe at each multiple of it. 4 s suits VOD (Apple suggests 6, players 2–6).</summary>
    public TimeSpan SegmentDuration { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>GPU use: Auto (NVENC when it works) or Never.</summary>
    public HardwareEncoding Hardware { get; set; } = HardwareEncoding.Auto;

    /// <summary>
    /// libx264/libx265 preset. <c>veryfast</c>: on a 2-core origin box it packages 1080p faster than real time
    /// with the whole default ladder while keeping most of the compression of slower presets (see bench/PackagerBench).
    /// </summary>
    public string SoftwarePreset { get; set; } = "veryfast";

    /// <summary>NVENC preset (p1 fastest … p7 best).</summary>
    public string HardwarePreset { get; set; } = "p5";

    /// <summary>Profile used when a job names none.</summary>
    public string DefaultProfile { get; set; } = "default";

    /// <summary>Named profiles; when none is configured, <c>default</c> is the seeds' five-rung H.264 ladder.</summary>
    public Dictionary<string, ProfileOptions> Profiles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Also write an MPEG-TS variant (<c>ts/…</c> and <c>master_ts.m3u8</c>) for old players, by remuxing.</summary>
    public bool TsVariant { get; set; }

    /// <summary>Long side of the poster JPEG (never larger than the top rendition).</summary>
    public int PosterSize { get; set; } = 1280;

    /// <summary>Audio tracks packaged at most (in source order).</summary>
    public int MaxAudioTracks { get; set; } = 8;

    /// <summary>Scrubbing thumbnails.</summary>
    public ThumbnailOptions Thumbnails { get; set; } = new();

    /// <summary>The profiles in force (the configured ones, or the built-in default).</summary>
    public IReadOnlyDictionary<string, ProfileOptions> EffectiveProfiles
        => Profiles.Count > 0 ? Profiles : new Dictionary<string, ProfileOptions>(StringComparer.OrdinalIgnoreCase) { ["default"] = ProfileOptions.Default() };

    /// <summary>The profile called <paramref name="name"/> (or the default one), or null when there is no such profile.</summary>
    public ProfileOptions? FindProfile(string? name)
        => EffectiveProfiles.TryGetValue(string.IsNullOrEmpty(name) ? DefaultProfile : name, out var profile) ? profile : null;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.NotEmpty(Ffmpeg, OptionsErrors.Path(path, nameof(Ffmpeg)));
        errors.NotEmpty(Ffprobe, OptionsErrors.Path(path, nameof(Ffprobe)));
        errors.InRange(SegmentDuration, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20), OptionsErrors.Path(path, nameof(SegmentDuration)));
        errors.Require(Enum.IsDefined(Hardware), OptionsErrors.Path(path, nameof(Hardware)), "must be Auto or Never");
        errors.Require(X264Presets.Contains(SoftwarePreset), OptionsErrors.Path(path, nameof(SoftwarePreset)), $"'{SoftwarePreset}' is not an x264 preset ({string.Join(", ", X264Presets)})");
        errors.Require(HardwarePreset is ['p', >= '1' and <= '7'], OptionsErrors.Path(path, nameof(HardwarePreset)), $"'{HardwarePreset}' is not an NVENC preset (p1 … p7)");
        errors.InRange(PosterSize, 64, 3840, OptionsErrors.Path(path, nameof(PosterSize)));
        errors.InRange(MaxAudioTracks, 0, 16, OptionsErrors.Path(path, nameof(MaxAudioTracks)));
        foreach (var (name, profile) in Profiles)
        {
            var profilePath = OptionsErrors.Path(OptionsErrors.Path(path, nameof(Profiles)), name);
            errors.Require(RungOptions.NamePattern().IsMatch(name), profilePath, $"'{name}' is not a valid profile name (letters, digits, '-', '_')");
            profile.Validate(profilePath, errors);
        }

        errors.Require(FindProfile(null) is not null, OptionsErrors.Path(path, nameof(DefaultProfile)), $"no profile named '{DefaultProfile}' (profiles: {string.Join(", ", EffectiveProfiles.Keys)})");
        Thumbnails.Validate(OptionsErrors.Path(path, nameof(Thumbnails)), errors);
    }
}
