using System.Text;
using Cdn.Caching.Fill;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Http;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Caching;

/// <content>Resuming a fill whose upstream body broke mid-way.</content>
public sealed partial class HttpCache
{
    /// <summary>Other servers asked to resume one fill, at most (a body that keeps breaking is a failure, not bad luck).</summary>
    private const int MaxResumes = 2;

    /// <summary>
    /// The body from <paramref name="broken"/> failed (<paramref name="error"/>: reset, early end, or stalled past the
    /// idle timeout). The failure counts against its server; then, when the object has a strong validator and a
    /// known length, the rest is asked of the next server for the object — <c>Range: bytes=written-</c> with
    /// <c>If-Range</c> — so the readers streaming from this fill (a shield killed mid-transfer, say) see a pause
    /// instead of a broken response. Only a 206 for exactly the missing bytes of the same representation is
    /// accepted. Returns the new body, or null when the fill must fail.
    /// </summary>
    private async Task<UpstreamBody?> ResumeAsync(CacheFill fill, UpstreamRequest sent, UpstreamBody broken, Exception error)
    {
        var failed = broken.Server;
        if (failed is null)
        {
            return null;
        }

        failed.RecordFailure();
        if (error is OperationCanceledException)
        {
            _metrics.UpstreamTimeout(failed.Name, UpstreamTimeoutKind.Idle);
        }

        var entry = fill.Entry;
        var offset = fill.BytesWritten;
        var length = fill.DeclaredLength;
        var validator = entry is null ? null
            : entry.ETag.Length > 0 && !entry.ETag.AsSpan().StartsWith("W/"u8) ? Encoding.ASCII.GetString(entry.ETag)
            : entry.LastModified > 0 ? HttpDates.FormatUnixSeconds(entry.LastModified)
            : null;
        if (validator is null || length < 0 || offset >= length || broken.Failed.Count >= MaxResumes)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>(sent.Headers.Count + 2);
        foreach (var header in sent.Headers)
        {
            if (!header.Key.StartsWith("If-", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Range", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
        }

        headers.Add(new("Range", $"bytes={offset}-"));
        headers.Add(new("If-Range", validator));
        List<UpstreamServer> skip = [.. broken.Failed, failed];
        var result = await _upstream.SendAsync(sent with { Headers = headers }, fill.Key, _stopping.Token, skip);
        if (result.Response is not { } response)
        {
            _metrics.Resume(failed.Name, resumed: false);
            ProxyLog.ResumeFailed(_logger, fill.Key.ToString(), offset, failed.Name, result.Error ?? "no other server");
            return null;
        }

        var range = response.Content.Headers.ContentRange;
        var sameRepresentation = response.Headers.ETag is not { } etag || entry!.ETag.Length == 0 || etag.ToString() == Encoding.ASCII.GetString(entry.ETag);
        if ((int)response.StatusCode != 206 || range is not { From: { } from, To: { } to, Length: { } total } || from != offset || to != length - 1
            || total != length || !sameRepresentation)
        {
            var why = $"{result.Server?.Name} answered {(int)response.StatusCode} {range}";
            response.Dispose();
            _metrics.Resume(failed.Name, resumed: false);
            ProxyLog.ResumeFailed(_logger, fill.Key.ToString(), offset, failed.Name, why);
            return null;
        }

        _metrics.Resume(failed.Name, resumed: true);
        ProxyLog.Resumed(_logger, fill.Key.ToString(), offset, failed.Name, result.Server!.Name, error.Message);
        return new UpstreamBody(response, result.Server, await response.Content.ReadAsStreamAsync(_stopping.Token), skip, _stopping.Token);
    }
}
