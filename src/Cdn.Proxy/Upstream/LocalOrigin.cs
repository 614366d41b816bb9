using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Cdn.Proxy.Http;
using Cdn.Proxy.Policy;

namespace Cdn.Proxy.Upstream;

/// <summary>
/// A directory served as an origin (the packager's published tree, for shields): GET/HEAD of regular files
/// below the root with Last-Modified, an ETag of size and mtime (as nginx makes them) and conditional 304s.
/// Nothing outside the root is reachable: the path is resolved with realpath(3) — every symlink followed —
/// and must still lie under the root's real path, so <c>..</c> tricks and symlinks pointing out are refused.
/// Dot-prefixed names (the packager's <c>.packager/</c> staging, a title's <c>.packager-job</c> stamp) are
/// private to the origin host and answer 404, however they are reached.
/// </summary>
public static partial class LocalOrigin
{
    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr RealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    /// <summary>Answers <paramref name="request"/> from files under <paramref name="root"/>.</summary>
    public static HttpResponseMessage Send(string root, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            return Status(HttpStatusCode.MethodNotAllowed, "method not allowed on a file origin");
        }

        var rootReal = Resolve(root);
        if (rootReal is null)
        {
            return Status(HttpStatusCode.ServiceUnavailable, "origin root missing");
        }

        var candidate = Path.GetFullPath(Path.Combine(rootReal, path.TrimStart('/')));
        if (!candidate.StartsWith(rootReal + "/", StringComparison.Ordinal))
        {
            return Status(HttpStatusCode.Forbidden, "path escapes the origin root");
        }

        if (HasHiddenSegment(candidate.AsSpan(rootReal.Length + 1)))
        {
            return Status(HttpStatusCode.NotFound, "not found");
        }

        var real = Resolve(candidate);
        if (real is null)
        {
            return Status(HttpStatusCode.NotFound, "not found");
        }

        if (!real.StartsWith(rootReal + "/", StringComparison.Ordinal))
        {
            return Status(HttpStatusCode.Forbidden, "symlink leads out of the origin root");
        }

        if (HasHiddenSegment(real.AsSpan(rootReal.Length + 1)))
        {
            return Status(HttpStatusCode.NotFound, "not found"); // a symlink into a dot directory
        }

        var info = new FileInfo(real);
        if (!info.Exists)
        {
            return Status(HttpStatusCode.NotFound, "not found");
        }

        var modified = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        var modifiedSeconds = DateTimeOffset.FromUnixTimeSeconds(modified.ToUnixTimeSeconds());
        var etag = string.Create(CultureInfo.InvariantCulture, $"\"{modified.ToUnixTimeSeconds():x}-{info.Length:x}\"");

        if (request.Headers.TryGetValues("If-None-Match", out var inm)
            ? EntityTags.WeakMatchAny(System.Text.Encoding.ASCII.GetBytes(string.Join(",", inm)), System.Text.Encoding.ASCII.GetBytes(etag))
            : request.Headers.IfModifiedSince is { } ims && modifiedSeconds <= ims)
        {
            var notModified = new HttpResponseMessage(HttpStatusCode.NotModified) { Content = new ByteArrayContent([]) };
            notModified.Headers.ETag = EntityTagHeaderValue.Parse(etag);
            notModified.Headers.Date = DateTimeOffset.UtcNow;
            notModified.Content.Headers.LastModified = modifiedSeconds;
            return notModified;
        }

        HttpContent content = request.Method == HttpMethod.Head
            ? new ByteArrayContent([])
            : new StreamContent(new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), 64 * 1024);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        response.Content.Headers.ContentLength = info.Length;
        response.Content.Headers.LastModified = modifiedSeconds;
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(System.Text.Encoding.ASCII.GetString(MediaTypes.ContentTypeFor(path, "application/octet-stream")));
        response.Headers.ETag = EntityTagHeaderValue.Parse(etag);
        response.Headers.Date = DateTimeOffset.UtcNow;
        return response;
    }

    /// <summary>Whether a path relative to the root has a segment starting with '.' (after normalization, so not <c>..</c>).</summary>
    internal static bool HasHiddenSegment(ReadOnlySpan<char> relativePath)
    {
        foreach (var range in relativePath.Split('/'))
        {
            var segment = relativePath[range];
            if (segment.Length > 0 && segment[0] == '.')
            {
                return true;
            }
        }

        return false;
    }

    private static HttpResponseMessage Status(HttpStatusCode status, string reason)
        => new(status) { Content = new StringContent(reason + "\n"), ReasonPhrase = reason };

    /// <summary>realpath(3): the absolute path with every symlink resolved, or null when it does not exist.</summary>
    internal static string? Resolve(string path)
    {
        var resolved = RealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }
}
