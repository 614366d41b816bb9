namespace Cdn.Capacity;

/// <summary>
/// What the capacity planner needs: the peak to serve, the catalog and how skewed its popularity is, and what
/// one edge can store and serve. Units are decimal: Mb/s = 10^6 bit/s, Gb/s = 10^9 bit/s, TB = 10^12 bytes.
/// </summary>
public sealed record CapacityInputs
{
    /// <summary>Concurrent viewers at the peak.</summary>
    public double Viewers { get; init; } = 100_000_000;

    /// <summary>Average delivered bitrate per viewer at the peak (Mb/s).</summary>
    public double BitrateMbps { get; init; } = 5;

    /// <summary>Sites the peak is spread over (evenly).</summary>
    public int Sites { get; init; } = 200;

    /// <summary>Titles in the catalog.</summary>
    public long Titles { get; init; } = 20_000;

    /// <summary>Average title duration (hours).</summary>
    public double TitleHours { get; init; } = 1.5;

    /// <summary>
    /// Bytes stored per second of a title, as a bitrate (Mb/s): the sum of the renditions kept. The packager's
    /// default ladder (360p 0.8 + 480p 1.4 + 720p 2.8 + 1080p 5 + 2160p 14 Mb/s, AAC 0.128) is 24.1.
    /// </summary>
    public double StoredMbpsPerTitle { get; init; } = 24.128;

    /// <summary>Zipf skew of title popularity (0 uniform; VOD catalogs measure 0.6–1.0).</summary>
    public double Alpha { get; init; } = 0.8;

    /// <summary>Usable cache storage per edge (TB).</summary>
    public double EdgeStorageTB { get; init; } = 100;

    /// <summary>Network capacity per edge (Gb/s).</summary>
    public double EdgeNicGbps { get; init; } = 100;

    /// <summary>CPU cores per edge given to serving.</summary>
    public double EdgeCores { get; init; } = 32;

    /// <summary>
    /// What one core serves over cleartext HTTP (Gb/s). The default is a placeholder: measure it with
    /// bench/LoadBench, which reports server CPU seconds per GB served; Gb/s per core = 8 / (CPU seconds per GB).
    /// </summary>
    public double CoreGbpsHttp { get; init; } = 20;

    /// <summary>What one core serves over HTTPS (Gb/s); a placeholder too, measured the same way (user-space TLS without kTLS).</summary>
    public double CoreGbpsHttps { get; init; } = 4;

    /// <summary>Share of bytes served over HTTPS (0–1).</summary>
    public double HttpsShare { get; init; } = 1;

    /// <summary>Highest planned utilization of the binding resource (headroom for failover and spikes).</summary>
    public double MaxUtilization { get; init; } = 0.7;

    /// <summary>
    /// Copies of each title kept within a site (rendezvous replicas across its edges). Two, as the fill planner's
    /// Fill:Replicas: one edge can fail or drain without a miss storm, and the hottest title has two edges to serve it.
    /// </summary>
    public int ReplicasPerSite { get; init; } = 2;

    /// <summary>Byte hit ratios to size the site caches for, each above 0 and below 1 (each gives a row); empty: size for throughput only.</summary>
    public IReadOnlyList<double> TargetHitRatios { get; init; } = [0.97, 0.99];

    /// <summary>Every problem with these inputs, each naming the input; empty when they can be planned.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Positive(double value, string name)
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                problems.Add($"{name} must be a positive number (was {value})");
            }
        }

        Positive(Viewers, "viewers");
        Positive(BitrateMbps, "bitrate");
        Positive(Sites, "sites");
        Positive(Titles, "titles");
        Positive(TitleHours, "title-hours");
        Positive(StoredMbpsPerTitle, "stored-bitrate");
        Positive(EdgeStorageTB, "edge-storage");
        Positive(EdgeNicGbps, "edge-nic");
        Positive(EdgeCores, "edge-cores");
        Positive(CoreGbpsHttp, "core-gbps-http");
        Positive(CoreGbpsHttps, "core-gbps-https");
        Positive(ReplicasPerSite, "replicas");
        if (Alpha is < 0 or > 4 || double.IsNaN(Alpha))
        {
            problems.Add($"alpha must be between 0 and 4 (was {Alpha})");
        }

        if (HttpsShare is < 0 or > 1 || double.IsNaN(HttpsShare))
        {
            problems.Add($"https-share must be between 0 and 1 (was {HttpsShare})");
        }

        if (MaxUtilization is <= 0 or > 1 || double.IsNaN(MaxUtilization))
        {
            problems.Add($"max-utilization must be above 0 and at most 1 (was {MaxUtilization})");
        }

        foreach (var target in TargetHitRatios)
        {
            // 1 is refused too: no cache reaches it (a title's first request misses), and it usually means 100 was meant as 1.00.
            if (target is <= 0 or >= 1 || double.IsNaN(target))
            {
                problems.Add($"target {target} must be a byte hit ratio above 0 and below 1 (0.97 = 97%)");
            }
        }

        return problems;
    }
}
