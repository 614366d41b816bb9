using Packager.Ladder;

namespace Packager.Api;

/// <summary>POST /api/v1/jobs body. Unknown members are rejected so a misspelt field is a 400, not a silent default.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
internal sealed record SubmitJobRequest
{
    /// <summary>Catalog id; becomes the title's directory.</summary>
    public string? TitleId { get; init; }

    /// <summary>Absolute path on the packager host, or an http(s) URL.</summary>
    public string? Source { get; init; }

    /// <summary>Configured profile name; default <c>Encoding:DefaultProfile</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>Rungs replacing the profile's ladder.</summary>
    public List<RungOptions>? Ladder { get; init; }

    /// <summary>When the title may be shown (passed to the control plane).</summary>
    public DateTimeOffset? ReleaseDate { get; init; }
}
