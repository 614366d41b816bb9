using Cdn.Hosting.Configuration;

namespace Cdn.Hosting.Security;

/// <summary>Bearer tokens accepted by an admin or control API.</summary>
public sealed class AdminTokenOptions : IValidatableOptions
{
    /// <summary>Accepted tokens (several, so tokens can be rotated without downtime).</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>A file holding one token per line, read at start and on reload (keeps secrets out of the JSON).</summary>
    public string? TokenFile { get; set; }

    /// <summary>All accepted tokens from both sources.</summary>
    public IReadOnlyList<string> Resolve()
    {
        var all = new List<string>(Tokens.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()));
        if (!string.IsNullOrEmpty(TokenFile) && File.Exists(TokenFile))
        {
            all.AddRange(File.ReadAllLines(TokenFile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }

        return all;
    }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrEmpty(TokenFile) && !File.Exists(TokenFile))
        {
            errors.Add(OptionsErrors.Path(path, nameof(TokenFile)), $"file '{TokenFile}' does not exist");
        }

        for (var i = 0; i < Tokens.Count; i++)
        {
            if (Tokens[i] is { Length: > 0 } t && t.Trim().Length < 16)
            {
                errors.Add(OptionsErrors.Path(path, $"{nameof(Tokens)}:{i}"), "a token must be at least 16 characters");
            }
        }

        try
        {
            if (Resolve().Count == 0)
            {
                errors.Add(path, "no bearer token configured: set Tokens or TokenFile (admin APIs are never open)");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Typically the daemon's user lacks read permission (packages make token files 0640 root:<daemon>).
            errors.Add(OptionsErrors.Path(path, nameof(TokenFile)), $"file '{TokenFile}' cannot be read: {ex.Message}");
        }
    }
}
