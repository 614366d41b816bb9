using Cdn.Contracts.Catalog;

namespace Packager.Packaging;

/// <summary>What a packaging run produced; stored with the job and the source of the control-plane notification.</summary>
internal sealed record PackageResult
{
    public required string TitleId { get; init; }

    public required string MasterPlaylist { get; init; }

    public DateTimeOffset? ReleaseDate { get; init; }

    public required double DurationSeconds { get; init; }

    public required int SourceWidth { get; init; }

    public required int SourceHeight { get; init; }

    public required int SourceRotation { get; init; }

    public required double FrameRate { get; init; }

    public required string Encoder { get; init; }

    public required bool HardwareEncoder { get; init; }

    public required string EncoderReason { get; init; }

    public required double EncodeSeconds { get; init; }

    /// <summary>Media seconds encoded per wall-clock second.</summary>
    public required double RealtimeFactor { get; init; }

    public required IReadOnlyList<RenditionResult> Renditions { get; init; }

    public required IReadOnlyList<CatalogObject> Objects { get; init; }

    /// <summary>The catalog message for the control plane. Video renditions carry the variant's total bandwidth and codecs.</summary>
    public TitlePublished ToTitlePublished()
    {
        var audio = Renditions.Where(r => r.Kind == "audio").ToList();
        var audioPeak = audio.Count == 0 ? 0 : audio.Max(a => a.PeakBandwidth);
        var audioCodecs = audio.Select(a => a.Codecs).Distinct(StringComparer.Ordinal);
        var renditions = Renditions
            .Where(r => r.Kind == "video")
            .Select(r => new RenditionInfo(r.Name, r.Width, r.Height, r.PeakBandwidth + audioPeak, string.Join(',', new[] { r.Codecs }.Concat(audioCodecs)), r.Playlist))
            .ToList();
        return new TitlePublished(TitleId, MasterPlaylist, ReleaseDate, DurationSeconds, renditions, Objects);
    }
}
