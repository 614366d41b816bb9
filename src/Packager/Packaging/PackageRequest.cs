using Packager.Ladder;

namespace Packager.Packaging;

/// <summary>One title to package from a local source file.</summary>
internal sealed record PackageRequest(string TitleId, string SourcePath, ProfileOptions Profile, DateTimeOffset? ReleaseDate);
