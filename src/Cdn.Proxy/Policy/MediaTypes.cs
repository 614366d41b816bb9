using System.Text;

namespace Cdn.Proxy.Policy;

/// <summary>What kind of HLS/DASH resource a path names, and its correct Content-Type.</summary>
public enum MediaKind
{
    /// <summary>Anything else.</summary>
    Other,

    /// <summary>A playlist or manifest (.m3u8, .mpd): changes for live streams.</summary>
    Playlist,

    /// <summary>A media segment, init segment, subtitle, key or image: never changes once published.</summary>
    Segment,
}

/// <summary>
/// Content types for video CDN file extensions. Origins often serve .m4s or .m3u8 as
/// application/octet-stream or text/plain; players (and Safari especially) need the right type, so these are
/// corrected on the way through.
/// </summary>
public static class MediaTypes
{
    private static readonly Dictionary<string, (byte[] Type, MediaKind Kind)> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".m3u8"] = (Bytes("application/vnd.apple.mpegurl"), MediaKind.Playlist),
        [".mpd"] = (Bytes("application/dash+xml"), MediaKind.Playlist),
        [".ts"] = (Bytes("video/mp2t"), MediaKind.Segment),
        [".m4s"] = (Bytes("video/iso.segment"), MediaKind.Segment),
        [".mp4"] = (Bytes("video/mp4"), MediaKind.Segment),
        [".m4v"] = (Bytes("video/mp4"), MediaKind.Segment),
        [".m4a"] = (Bytes("audio/mp4"), MediaKind.Segment),
        [".aac"] = (Bytes("audio/aac"), MediaKind.Segment),
        [".vtt"] = (Bytes("text/vtt"), MediaKind.Segment),
        [".webvtt"] = (Bytes("text/vtt"), MediaKind.Segment),
        [".jpg"] = (Bytes("image/jpeg"), MediaKind.Segment),
        [".jpeg"] = (Bytes("image/jpeg"), MediaKind.Segment),
        [".png"] = (Bytes("image/png"), MediaKind.Segment),
        [".key"] = (Bytes("application/octet-stream"), MediaKind.Segment),
        [".cmfv"] = (Bytes("video/mp4"), MediaKind.Segment),
        [".cmfa"] = (Bytes("audio/mp4"), MediaKind.Segment),
    };

    private static readonly HashSet<string> Generic = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "application/octet-stream", "binary/octet-stream", "text/plain", "application/unknown",
    };

    /// <summary>The kind of resource <paramref name="path"/> names (by extension, ignoring any query).</summary>
    public static MediaKind KindOf(string path) => Lookup(path) is { } known ? known.Kind : MediaKind.Other;

    /// <summary>
    /// The Content-Type to serve: the origin's, unless it is missing or generic and the extension says better.
    /// </summary>
    public static byte[] ContentTypeFor(string path, string? originType)
    {
        var origin = originType?.Trim() ?? "";
        var bare = origin.Split(';', 2)[0].Trim();
        if (Generic.Contains(bare) && Lookup(path) is { } known)
        {
            return known.Type;
        }

        return Encoding.ASCII.GetBytes(origin);
    }

    private static (byte[] Type, MediaKind Kind)? Lookup(string path)
    {
        var q = path.IndexOf('?', StringComparison.Ordinal);
        var clean = q < 0 ? path : path[..q];
        var slash = clean.LastIndexOf('/');
        var dot = clean.LastIndexOf('.');
        if (dot < 0 || dot < slash)
        {
            return null;
        }

        return ByExtension.TryGetValue(clean[dot..], out var known) ? known : null;
    }

    private static byte[] Bytes(string s) => Encoding.ASCII.GetBytes(s);
}
