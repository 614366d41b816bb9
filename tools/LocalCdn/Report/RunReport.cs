using System.Globalization;
using System.Text;

namespace LocalCdn.Report;

/// <summary>
/// What one playback through the CDN did, from metrics scraped before and after it: the edge's requests by
/// cache result and bytes sent, the shields' fetches from the origin, and what the player measured.
/// </summary>
/// <param name="Edge">The edge that served (node name).</param>
/// <param name="Url">The URL played.</param>
/// <param name="EdgeBefore">The edge's metrics before playback.</param>
/// <param name="EdgeAfter">The edge's metrics after it.</param>
/// <param name="ShieldsBefore">Each shield's metrics before playback.</param>
/// <param name="ShieldsAfter">Each shield's metrics after it.</param>
/// <param name="Startup">Time from starting the player to its first media packet.</param>
/// <param name="Wall">Time the whole pull took.</param>
public sealed record RunReport(
    string Edge,
    Uri Url,
    MetricsSnapshot EdgeBefore,
    MetricsSnapshot EdgeAfter,
    IReadOnlyList<MetricsSnapshot> ShieldsBefore,
    IReadOnlyList<MetricsSnapshot> ShieldsAfter,
    TimeSpan? Startup,
    TimeSpan Wall)
{
    /// <summary>Cache results (the <c>cache</c> label) answered from what the edge stored.</summary>
    public static IReadOnlyList<string> FromCache { get; } = ["hit", "stale", "staleerror", "revalidated"];

    /// <summary>Requests the edge answered during playback.</summary>
    public long Requests => Delta(EdgeBefore, EdgeAfter, "cdn_http_requests_total");

    /// <summary>Of those, answered from the edge's cache.</summary>
    public long Hits => FromCache.Sum(r => Delta(EdgeBefore, EdgeAfter, "cdn_http_requests_total", ("cache", r)));

    /// <summary>Of those, filled from upstream (shields) while the player waited.</summary>
    public long Misses => Delta(EdgeBefore, EdgeAfter, "cdn_http_requests_total", ("cache", "miss"));

    /// <summary>Hits over requests (null without requests).</summary>
    public double? HitRatio => Requests == 0 ? null : (double)Hits / Requests;

    /// <summary>Body bytes the edge sent.</summary>
    public long Bytes => Delta(EdgeBefore, EdgeAfter, "cdn_http_response_body_bytes_total");

    /// <summary>Requests the shields sent to the origin during playback.</summary>
    public long OriginFetches => Sum(ShieldsBefore, ShieldsAfter, "cdn_origin_requests_total");

    /// <summary>Origin requests during playback by outcome (<c>200</c>, <c>304</c>…).</summary>
    public IReadOnlyDictionary<string, long> OriginFetchesByOutcome
    {
        get
        {
            var sums = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < ShieldsAfter.Count; i++)
            {
                var before = i < ShieldsBefore.Count ? ShieldsBefore[i] : MetricsSnapshot.Empty;
                foreach (var (outcome, after) in ShieldsAfter[i].SumBy("cdn_origin_requests_total", "outcome"))
                {
                    var delta = (long)Math.Round(after - before.Sum("cdn_origin_requests_total", ("outcome", outcome)));
                    if (delta != 0)
                    {
                        sums[outcome] = sums.GetValueOrDefault(outcome) + delta;
                    }
                }
            }

            return sums;
        }
    }

    /// <summary>Body bytes the shields read from the origin during playback.</summary>
    public long OriginBytes => Sum(ShieldsBefore, ShieldsAfter, "cdn_origin_body_bytes_total");

    /// <summary>Requests the shields sent to the origin since they started (the fill included).</summary>
    public long OriginFetchesSinceStart => (long)ShieldsAfter.Sum(s => s.Sum("cdn_origin_requests_total"));

    /// <summary>Bytes the shields read from the origin since they started.</summary>
    public long OriginBytesSinceStart => (long)ShieldsAfter.Sum(s => s.Sum("cdn_origin_body_bytes_total"));

    /// <summary>The short report the main job prints.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        var rate = Wall > TimeSpan.Zero ? Bytes * 8 / Wall.TotalSeconds / 1e6 : 0;
        text.Append(CultureInfo.InvariantCulture, $"served by     {Edge}  {Url}\n");
        text.Append(CultureInfo.InvariantCulture, $"hit ratio     {(HitRatio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a")}  ({Hits} of {Requests} requests from the edge's cache, {Misses} filled from the shields)\n");
        var outcomes = OriginFetchesByOutcome.Count == 0 ? "" : $" [{string.Join(", ", OriginFetchesByOutcome.Select(kv => $"{kv.Key}: {kv.Value}"))}]";
        text.Append(CultureInfo.InvariantCulture, $"origin        {OriginFetches} fetches{outcomes} ({Megabytes(OriginBytes)}) by the shields during playback; {OriginFetchesSinceStart} ({Megabytes(OriginBytesSinceStart)}) since start, the fill included\n");
        text.Append(CultureInfo.InvariantCulture, $"startup       {(Startup is { } s ? s.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s to the first media packet" : "n/a (no packet)")}\n");
        text.Append(CultureInfo.InvariantCulture, $"bytes         {Megabytes(Bytes)} to the player in {Wall.TotalSeconds:0.0} s ({rate:0} Mbit/s)\n");
        return text.ToString();
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static long Delta(MetricsSnapshot before, MetricsSnapshot after, string name, params (string, string)[] labels)
        => (long)Math.Round(after.Sum(name, labels) - before.Sum(name, labels));

    private static long Sum(IReadOnlyList<MetricsSnapshot> before, IReadOnlyList<MetricsSnapshot> after, string name)
    {
        long sum = 0;
        for (var i = 0; i < after.Count; i++)
        {
            sum += Delta(i < before.Count ? before[i] : MetricsSnapshot.Empty, after[i], name);
        }

        return sum;
    }
}
