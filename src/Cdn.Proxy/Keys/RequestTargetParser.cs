using System.Text;

namespace Cdn.Proxy.Keys;

/// <summary>
/// Normalizes request targets into cache keys and upstream paths, refusing what must not reach an origin:
/// paths climbing above the root (<c>/a/../../etc</c>, also percent-encoded), NUL and control bytes,
/// backslashes, fragments, malformed percent-escapes and hosts with odd characters.
/// </summary>
public sealed class RequestTargetParser
{
    private readonly HashSet<string> _keyParameters;
    private readonly HashSet<string> _dropParameters;

    /// <summary>
    /// <paramref name="keyParameters"/> are the query parameters kept in the cache key; <paramref name="dropParameters"/>
    /// (URL-signing parameters) are removed from both the key and the upstream request.
    /// </summary>
    public RequestTargetParser(IEnumerable<string> keyParameters, IEnumerable<string> dropParameters)
    {
        _keyParameters = new HashSet<string>(keyParameters, StringComparer.Ordinal);
        _dropParameters = new HashSet<string>(dropParameters, StringComparer.Ordinal);
    }

    /// <summary>Normalizes <paramref name="rawTarget"/> (origin-form or absolute-form) for <paramref name="hostHeader"/>.</summary>
    public bool TryParse(string? hostHeader, string rawTarget, out RequestTarget target, out TargetError? error)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        target = null!;
        var raw = rawTarget;
        var host = hostHeader;
        if (raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var afterScheme = raw.IndexOf("//", StringComparison.Ordinal) + 2;
            var slash = raw.IndexOf('/', afterScheme);
            host = slash < 0 ? raw[afterScheme..] : raw[afterScheme..slash];
            raw = slash < 0 ? "/" : raw[slash..];
        }

        if (raw.Length == 0 || raw[0] != '/')
        {
            error = new TargetError(400, "request target must be an absolute path");
            return false;
        }

        if (raw.Contains('#', StringComparison.Ordinal))
        {
            error = new TargetError(400, "request target contains a fragment");
            return false;
        }

        if (!TryNormalizeHost(host, out var normalizedHost, out error))
        {
            return false;
        }

        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? raw : raw[..q];
        var rawQuery = q < 0 ? "" : raw[(q + 1)..];
        if (!TryNormalizePath(rawPath, out var path, out error))
        {
            return false;
        }

        var query = ParseQuery(rawQuery);
        var keyQuery = query.Where(p => _keyParameters.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).ToList();
        var upstreamQuery = query.Where(p => !_dropParameters.Contains(p.Key)).ToList();
        var key = keyQuery.Count == 0 ? normalizedHost + path : $"{normalizedHost}{path}?{Join(keyQuery)}";
        var upstream = upstreamQuery.Count == 0 ? path : $"{path}?{Join(upstreamQuery)}";
        target = new RequestTarget(normalizedHost, path, key, upstream, query);
        error = null;
        return true;
    }

    private static bool TryNormalizeHost(string? host, out string normalized, out TargetError? error)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(host))
        {
            error = new TargetError(400, "missing Host header");
            return false;
        }

        var h = host.Trim();
        if (h.StartsWith('['))
        {
            var close = h.IndexOf(']', StringComparison.Ordinal);
            h = close < 0 ? h : h[..(close + 1)];
        }
        else
        {
            var colon = h.LastIndexOf(':');
            if (colon >= 0)
            {
                var port = h[(colon + 1)..];
                if (port.Length == 0 || port.Length > 5 || !port.All(char.IsAsciiDigit))
                {
                    error = new TargetError(400, "invalid port in Host header");
                    return false;
                }

                h = h[..colon];
            }
        }

        h = h.TrimEnd('.').ToLowerInvariant();
        if (h.Length == 0 || h.Length > 255 || !h.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '[' or ']' or ':'))
        {
            error = new TargetError(400, "invalid Host header");
            return false;
        }

        normalized = h;
        error = null;
        return true;
    }

    /// <summary>Decodes unreserved percent-escapes, upper-cases the others, re-escapes raw non-ASCII, resolves dot segments.</summary>
    internal static bool TryNormalizePath(string rawPath, out string path, out TargetError? error)
    {
        path = "";
        var sb = new StringBuilder(rawPath.Length);
        for (var i = 0; i < rawPath.Length; i++)
        {
            var c = rawPath[i];
            if (c == '%')
            {
                if (i + 2 >= rawPath.Length || !char.IsAsciiHexDigit(rawPath[i + 1]) || !char.IsAsciiHexDigit(rawPath[i + 2]))
                {
                    error = new TargetError(400, "malformed percent-escape in path");
                    return false;
                }

                var value = Convert.ToByte(rawPath.Substring(i + 1, 2), 16);
                i += 2;
                if (value < 0x20 || value == 0x7F)
                {
                    error = new TargetError(400, "control character in path");
                    return false;
                }

                if (value == '\\')
                {
                    error = new TargetError(400, "backslash in path");
                    return false;
                }

                if (IsUnreserved((char)value))
                {
                    sb.Append((char)value);
                }
                else
                {
                    sb.Append('%').Append(value.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }

                continue;
            }

            if (c < 0x20 || c == 0x7F || c == ' ')
            {
                error = new TargetError(400, "control character or space in path");
                return false;
            }

            if (c == '\\')
            {
                error = new TargetError(400, "backslash in path");
                return false;
            }

            if (c > 0x7E)
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }

                continue;
            }

            sb.Append(c);
        }

        // RFC 3986 §5.2.4, except that climbing above the root is an error rather than silently clamped.
        var segments = sb.ToString().Split('/');
        var output = new List<string>(segments.Length);
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (segment == ".")
            {
                if (last)
                {
                    output.Add("");
                }

                continue;
            }

            if (segment == "..")
            {
                if (output.Count == 0)
                {
                    error = new TargetError(400, "path escapes the root");
                    return false;
                }

                output.RemoveAt(output.Count - 1);
                if (last)
                {
                    output.Add("");
                }

                continue;
            }

            output.Add(segment);
        }

        path = "/" + string.Join('/', output);
        error = null;
        return true;
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (query.Length == 0)
        {
            return list;
        }

        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            list.Add(eq < 0 ? new(part, "") : new(part[..eq], part[(eq + 1)..]));
        }

        return list;
    }

    private static string Join(List<KeyValuePair<string, string>> pairs)
        => string.Join('&', pairs.Select(p => p.Value.Length == 0 ? p.Key : $"{p.Key}={p.Value}"));
}
