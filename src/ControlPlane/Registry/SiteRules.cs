using System.Buffers;

namespace Cdn.ControlPlane.Registry;

/// <summary>Checks shared by configured sites and sites put through the API.</summary>
internal static class SiteRules
{
    private static readonly SearchValues<char> NameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>Null when <paramref name="name"/> can name a site or node (letters, digits, '-', '_', '.'; 1–63).</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "must be set";
        }

        return name.Length > 63 || name.AsSpan().IndexOfAnyExcept(NameChars) >= 0
            ? $"'{name}' must be 1 to 63 letters, digits, '-', '_' or '.'"
            : null;
    }

    /// <summary>Null when the IANA zone exists on this machine.</summary>
    public static string? TimeZoneProblem(string? zone)
    {
        if (string.IsNullOrEmpty(zone))
        {
            return "must be set (an IANA time zone such as Europe/Amsterdam)";
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(zone);
            return null;
        }
        catch (TimeZoneNotFoundException)
        {
            return $"'{zone}' is not a known time zone (use an IANA name such as Europe/Amsterdam)";
        }
        catch (InvalidTimeZoneException)
        {
            return $"'{zone}' is not a valid time zone";
        }
    }
}
