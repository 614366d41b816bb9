namespace Cdn.Contracts.Catalog;

/// <summary>A title as the catalog lists it (the full object list is at <see cref="ControlPlaneRoutes.TitleById"/>).</summary>
/// <param name="TitleId">Catalog id.</param>
/// <param name="MasterPlaylist">Path of the master playlist relative to the origin root.</param>
/// <param name="ReleaseDate">When players may watch it (the planner boosts titles around this date).</param>
/// <param name="DurationSeconds">Running time.</param>
/// <param name="Renditions">Renditions in the ladder.</param>
/// <param name="Objects">Files published.</param>
/// <param name="Bytes">Sum of the files' sizes.</param>
/// <param name="UpdatedAt">When the packager last published it.</param>
public sealed record TitleSummary(
    string TitleId,
    string MasterPlaylist,
    DateTimeOffset? ReleaseDate,
    double DurationSeconds,
    int Renditions,
    int Objects,
    long Bytes,
    DateTimeOffset UpdatedAt);
