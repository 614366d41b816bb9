using System.Globalization;

namespace Cdn.Proxy.Http;

/// <summary>HTTP-date parsing (IMF-fixdate, obsolete RFC 850 and asctime forms, RFC 9110 §5.6.7) and formatting.</summary>
public static class HttpDates
{
    private static readonly string[] Formats =
    [
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'",
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",
        "ddd MMM d HH:mm:ss yyyy",
        "ddd MMM dd HH:mm:ss yyyy",
    ];

    /// <summary>Parses an HTTP-date; null when absent or invalid (an invalid Expires means "already expired" to the caller).</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(value.Trim(), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out var parsed)
            ? parsed
            : null;
    }

    /// <summary>IMF-fixdate.</summary>
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    /// <summary>IMF-fixdate of unix seconds.</summary>
    public static string FormatUnixSeconds(long seconds) => Format(DateTimeOffset.FromUnixTimeSeconds(seconds));
}
