using System.Text;

namespace Cdn.Caching.Index;

/// <summary>
/// One-byte codes for the content types a video CDN stores almost exclusively, so the index spends one byte
/// instead of ~20 on them (and decoding returns a shared array, no allocation). Code 0 means the type is
/// stored as text. Codes are part of the index format: append only, never renumber.
/// </summary>
internal static class ContentTypes
{
    private static readonly byte[][] Known =
    [
        [],
        Encoding.ASCII.GetBytes("application/vnd.apple.mpegurl"),
        Encoding.ASCII.GetBytes("video/mp2t"),
        Encoding.ASCII.GetBytes("video/iso.segment"),
        Encoding.ASCII.GetBytes("video/mp4"),
        Encoding.ASCII.GetBytes("audio/mp4"),
        Encoding.ASCII.GetBytes("audio/aac"),
        Encoding.ASCII.GetBytes("text/vtt"),
        Encoding.ASCII.GetBytes("image/jpeg"),
        Encoding.ASCII.GetBytes("application/x-mpegURL"),
        Encoding.ASCII.GetBytes("application/octet-stream"),
        Encoding.ASCII.GetBytes("audio/mpeg"),
        Encoding.ASCII.GetBytes("image/png"),
        Encoding.ASCII.GetBytes("application/json"),
        Encoding.ASCII.GetBytes("application/dash+xml"),
        Encoding.ASCII.GetBytes("video/webm"),
        Encoding.ASCII.GetBytes("text/plain"),
        Encoding.ASCII.GetBytes("text/html"),
        Encoding.ASCII.GetBytes("text/vtt; charset=utf-8"),
        Encoding.ASCII.GetBytes("text/plain; charset=utf-8"),
        Encoding.ASCII.GetBytes("application/vnd.apple.mpegurl; charset=utf-8"),
    ];

    /// <summary>The code of <paramref name="contentType"/>, or 0 when it must be stored as text.</summary>
    public static byte Encode(ReadOnlySpan<byte> contentType)
    {
        if (contentType.IsEmpty)
        {
            return 0;
        }

        for (var i = 1; i < Known.Length; i++)
        {
            if (contentType.SequenceEqual(Known[i]))
            {
                return (byte)i;
            }
        }

        return 0;
    }

    /// <summary>The shared bytes of a code (never modify them), or null for an unknown code.</summary>
    public static byte[]? Decode(byte code) => code < Known.Length ? Known[code] : null;
}
