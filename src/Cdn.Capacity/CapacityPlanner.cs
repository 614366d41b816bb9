using System.Globalization;
using Cdn.Capacity.Simulation;
using Cdn.Caching.Eviction;

namespace Cdn.Capacity;

/// <summary>
/// Sizes the sites of a CDN for a peak. Method (the README's worked example walks through it):
/// <list type="number">
/// <item>Peak = viewers × average bitrate, spread evenly over the sites.</item>
/// <item>One edge serves min(NIC, cores × per-core Gb/s) × the utilization cap; per-core Gb/s comes from the
/// load benchmark's CPU per GB, mixed by the HTTPS share (harmonic: CPU seconds add up, not rates).</item>
/// <item>Edges for throughput = ⌈site peak / per-edge⌉.</item>
/// <item>A site holds the top titles by popularity (what the overnight fill plan puts there), as many as its
/// edges' storage holds divided by the replicas per site. Byte hit ratio = their share of Zipf(α) demand
/// (all titles equally long; renditions of a title are stored together).</item>
/// <item>For a target hit ratio: titles needed = the fewest top titles with that share; edges for storage =
/// ⌈titles × title bytes × replicas / edge storage⌉ (at least the replicas); the site gets the larger of the two
/// edge counts, and the row's bottleneck is "cache" when storage sets it.</item>
/// <item>Upstream (shield) egress at the peak = site peak × (1 − byte hit ratio).</item>
/// </list>
/// Optionally, the same cache size is simulated with the engine's W-TinyLFU over a Zipf trace of the catalog,
/// which is what a site reaches without a fill plan (filling on demand only).
/// </summary>
public static class CapacityPlanner
{
    /// <summary>Plans <paramref name="inputs"/>; throws <see cref="ArgumentException"/> listing every invalid input.</summary>
    public static CapacityPlan Plan(CapacityInputs inputs, bool simulateReactive = false, int simulationRequests = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var problems = inputs.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }

        var peakGbps = inputs.Viewers * inputs.BitrateMbps / 1000;
        var sitePeak = peakGbps / inputs.Sites;
        var coreGbps = 1 / ((inputs.HttpsShare / inputs.CoreGbpsHttps) + ((1 - inputs.HttpsShare) / inputs.CoreGbpsHttp));
        var cpuGbps = inputs.EdgeCores * coreGbps;
        var bottleneck = cpuGbps < inputs.EdgeNicGbps ? "cpu" : "network";
        var edgeServe = Math.Min(cpuGbps, inputs.EdgeNicGbps) * inputs.MaxUtilization;
        var edgesForThroughput = Math.Max(1, CeilToInt(sitePeak / edgeServe));
        var titleBytes = inputs.TitleHours * 3600 * inputs.StoredMbpsPerTitle * 1e6 / 8;
        var popularity = new ZipfPopularity(inputs.Titles, inputs.Alpha);

        var rows = new List<CapacityRow> { Row("throughput", null, edgesForThroughput, 0, null) };
        foreach (var target in inputs.TargetHitRatios)
        {
            var needed = popularity.ItemsForShare(target) * titleBytes * inputs.ReplicasPerSite;
            // Each replica of a title sits on a distinct edge (the fill planner's rule), so never fewer edges than replicas.
            var edgesForStorage = Math.Max(inputs.ReplicasPerSite, CeilToInt(needed / (inputs.EdgeStorageTB * 1e12)));
            rows.Add(Row(string.Create(CultureInfo.InvariantCulture, $"{target:0.##%} hit"), target, Math.Max(edgesForThroughput, edgesForStorage), edgesForStorage, needed));
        }

        var hottest = sitePeak * popularity.HeadShare(1);
        return new CapacityPlan(inputs, peakGbps, sitePeak, titleBytes, titleBytes * inputs.Titles, coreGbps, edgeServe, bottleneck, edgesForThroughput, hottest, rows);

        CapacityRow Row(string sizing, double? target, int edges, int edgesForStorage, double? needed)
        {
            var cacheBytes = edges * inputs.EdgeStorageTB * 1e12;
            var held = Math.Min(inputs.Titles, (long)Math.Floor(cacheBytes / inputs.ReplicasPerSite / titleBytes));
            var hit = popularity.HeadShare(held);
            var upstream = sitePeak * (1 - hit);
            double? reactive = simulateReactive ? SimulateReactive(inputs, held, simulationRequests) : null;
            return new CapacityRow(
                sizing,
                target,
                edges,
                edgesForStorage,
                edgesForStorage > edgesForThroughput ? "cache" : bottleneck,
                held,
                cacheBytes,
                needed,
                hit,
                upstream,
                upstream * inputs.Sites,
                (long)edges * inputs.Sites,
                sitePeak / (edges * Math.Min(cpuGbps, inputs.EdgeNicGbps)),
                target is not { } t || hit >= t - 1e-12,
                reactive);
        }
    }

    /// <summary>
    /// Byte hit ratio of on-demand caching of <paramref name="titlesHeld"/> titles' worth of space with the
    /// engine's W-TinyLFU over an independent-reference Zipf trace of the catalog (equal title sizes). A catalog
    /// with more titles than 1M, or than <paramref name="requests"/> / <see cref="RequestsPerSimulatedTitle"/>, is scaled
    /// down to that many keeping the held share (for α below 1 the head share of a fixed fraction barely depends on
    /// the catalog's size): a trace with few requests per title measures first-request misses, not the policy.
    /// </summary>
    public static double SimulateReactive(CapacityInputs inputs, long titlesHeld, int requests = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (titlesHeld <= 0)
        {
            return 0;
        }

        if (titlesHeld >= inputs.Titles)
        {
            return 1;
        }

        const int MaxObjects = 1_000_000;
        var objects = (int)Math.Max(1, Math.Min(inputs.Titles, Math.Min(MaxObjects, requests / RequestsPerSimulatedTitle)));
        var held = Math.Max(1, (long)Math.Round((double)titlesHeld * objects / inputs.Titles));
        const long Size = 1_000_000;
        var trace = ZipfTrace.Generate(inputs.Alpha, objects, requests, Size, Size, seed: 1);
        var policy = new WTinyLfuPolicy(held * Size);
        return PolicySimulation.Run(trace, policy, warmupRequests: requests / 5).ByteHitRatio;
    }

    /// <summary>Requests per title of a simulated trace, at least: with 2M requests, catalogs up to 40,000 titles run unscaled.</summary>
    public const int RequestsPerSimulatedTitle = 50;

    private static int CeilToInt(double value) => value >= int.MaxValue ? int.MaxValue : (int)Math.Ceiling(value - 1e-9);
}
