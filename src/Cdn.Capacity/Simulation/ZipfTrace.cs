namespace Cdn.Capacity.Simulation;

/// <summary>
/// Synthetic independent-reference traces: object popularity follows Zipf(alpha) over a catalog, sizes are
/// log-uniform between a minimum and maximum (4-second HLS segments from 0.6 to 16 Mb/s span 0.3–8 MB) and
/// independent of popularity.
/// </summary>
public static class ZipfTrace
{
    public static RequestTrace Generate(double alpha, int objects, int requests, long minSize, long maxSize, int seed)
    {
        var random = new Random(seed);
        var sizes = new long[objects];
        var logMin = Math.Log(minSize);
        var logMax = Math.Log(maxSize);
        for (var i = 0; i < objects; i++)
        {
            sizes[i] = (long)Math.Exp(logMin + (random.NextDouble() * (logMax - logMin)));
        }

        // Cumulative popularity of ranks 1..N; rank r is object perm[r] so popularity and id are unrelated.
        var cdf = new double[objects];
        double sum = 0;
        for (var r = 0; r < objects; r++)
        {
            sum += 1.0 / Math.Pow(r + 1, alpha);
            cdf[r] = sum;
        }

        var perm = Enumerable.Range(0, objects).ToArray();
        random.Shuffle(perm);
        var trace = new int[requests];
        for (var i = 0; i < requests; i++)
        {
            var u = random.NextDouble() * sum;
            var rank = Array.BinarySearch(cdf, u);
            if (rank < 0)
            {
                rank = ~rank;
            }

            trace[i] = perm[Math.Min(rank, objects - 1)];
        }

        return new RequestTrace(trace, sizes, $"Zipf alpha={alpha}, {objects:N0} objects, {requests:N0} requests, sizes {minSize / 1e6:0.0}-{maxSize / 1e6:0.0} MB log-uniform, seed {seed}");
    }
}
