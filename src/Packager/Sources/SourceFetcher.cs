using Packager.Probing;

namespace Packager.Sources;

/// <summary>Downloads an http(s) source to local disk (ffprobe and ffmpeg then read a file, and a retry does not refetch a complete download).</summary>
internal sealed class SourceFetcher
{
    private readonly HttpClient _http;

    public SourceFetcher(HttpClient http) => _http = http;

    /// <summary>Downloads <paramref name="url"/> into <paramref name="directory"/>, reporting the fraction done.</summary>
    public async Task<string> FetchAsync(Uri url, string directory, long maxBytes, Action<double> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, "source" + SafeExtension(url));
        var complete = target + ".complete";
        if (File.Exists(target) && File.Exists(complete))
        {
            return target;
        }

        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidMediaException($"downloading {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var length = response.Content.Headers.ContentLength;
        if (length > maxBytes)
        {
            throw new InvalidMediaException($"source {url} is {length} bytes, more than the {maxBytes} allowed (Packager:MaxDownloadBytes)");
        }

        var partial = target + ".part";
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new InvalidMediaException($"source {url} is larger than the {maxBytes} bytes allowed (Packager:MaxDownloadBytes)");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                if (length is > 0)
                {
                    progress((double)total / length.Value);
                }
            }

            if (length is { } expected && total != expected)
            {
                throw new InvalidMediaException($"download of {url} ended after {total} of {expected} bytes");
            }
        }

        File.Move(partial, target, overwrite: true);
        await File.WriteAllTextAsync(complete, "", cancellationToken);
        return target;
    }

    private static string SafeExtension(Uri url)
    {
        var ext = Path.GetExtension(url.AbsolutePath);
        return ext.Length is > 1 and <= 6 && ext.Skip(1).All(char.IsAsciiLetterOrDigit) ? ext : ".bin";
    }
}
