namespace Cdn.Hosting.Security;

/// <summary>Token files: one token a line, blank lines and <c>#</c> comments ignored (keeps secrets out of JSON and command lines).</summary>
public static class TokenFile
{
    /// <summary>The first token in <paramref name="path"/>, or null when the file is missing or holds none.</summary>
    public static string? ReadFirst(string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var token = line.Trim();
            if (token.Length > 0 && !token.StartsWith('#'))
            {
                return token;
            }
        }

        return null;
    }
}
