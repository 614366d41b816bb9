using Cdn.Hosting.Configuration;
using Packager.Encoding;
using Packager.Jobs;
using Packager.Ladder;
using Packager.Sources;

namespace Packager.Api;

/// <summary>Checks a submission field by field; every problem is reported at once, keyed by the JSON member name.</summary>
internal static class SubmitValidator
{
    public static Dictionary<string, string[]> Validate(SubmitJobRequest request, EncodingOptions encoding, PackagerOptions packager)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(packager);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (TitleId.Problem(request.TitleId) is { } titleProblem)
        {
            Add("titleId", titleProblem);
        }

        SourceReference.TryParse(request.Source, packager.SourceRoots, mustExist: true, out var sourceProblem);
        if (sourceProblem is not null)
        {
            Add("source", sourceProblem);
        }

        if (encoding.FindProfile(request.Profile) is null)
        {
            Add("profile", $"unknown profile '{request.Profile}' (profiles: {string.Join(", ", encoding.EffectiveProfiles.Keys)})");
        }

        if (request.Ladder is { } ladder)
        {
            var ladderErrors = new OptionsErrors();
            if (ladder.Count == 0)
            {
                ladderErrors.Add("ladder", "an explicit ladder needs at least one rung (omit it to use the profile's)");
            }

            ProfileOptions.ValidateRungs(ladder, "ladder", ladderErrors);
            foreach (var error in ladderErrors.Errors)
            {
                var colon = error.IndexOf(": ", StringComparison.Ordinal);
                var path = error[..colon].Replace(':', '.');
                Add(path.Length > 0 ? ToCamel(path) : "ladder", error[(colon + 2)..]);
            }
        }

        if (request.ReleaseDate is { } release && (release.Year < 1900 || release.Year > 2200))
        {
            Add("releaseDate", $"{release:O} is not a plausible release date");
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary><c>ladder.0.BitrateKbps</c> → <c>ladder[0].bitrateKbps</c>, as the client wrote it.</summary>
    private static string ToCamel(string path)
    {
        var parts = path.Split('.');
        var text = new System.Text.StringBuilder(parts[0]);
        for (var i = 1; i < parts.Length; i++)
        {
            if (int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                text.Append('[').Append(parts[i]).Append(']');
            }
            else
            {
                text.Append('.').Append(char.ToLowerInvariant(parts[i][0])).Append(parts[i].AsSpan(1));
            }
        }

        return text.ToString();
    }
}
