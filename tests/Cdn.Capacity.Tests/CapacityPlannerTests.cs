namespace Cdn.Capacity.Tests;

public class CapacityPlannerTests
{
    private static readonly CapacityInputs Small = new()
    {
        Viewers = 1_000_000,
        BitrateMbps = 5,
        Sites = 10,
        Titles = 10_000,
        TitleHours = 1,
        StoredMbpsPerTitle = 20,
        Alpha = 0.8,
        EdgeStorageTB = 10,
        EdgeNicGbps = 100,
        EdgeCores = 16,
        CoreGbpsHttp = 20,
        CoreGbpsHttps = 5,
        HttpsShare = 1,
        MaxUtilization = 0.5,
        ReplicasPerSite = 1,
        TargetHitRatios = [0.97],
    };

    [Fact]
    public void Arithmetic_of_a_small_plan()
    {
        var plan = CapacityPlanner.Plan(Small);

        Assert.Equal(5000, plan.PeakGbps, 9);              // 1M x 5 Mb/s
        Assert.Equal(500, plan.SitePeakGbps, 9);           // over 10 sites
        Assert.Equal(9e9, plan.TitleBytes, 3);             // 3600 s x 20 Mb/s / 8
        Assert.Equal(5, plan.CoreGbps, 9);                 // all HTTPS
        Assert.Equal("cpu", plan.Bottleneck);              // 16 x 5 = 80 < 100 Gb/s NIC
        Assert.Equal(40, plan.EdgeServeGbps, 9);           // 80 x 0.5
        Assert.Equal(13, plan.EdgesForThroughput);         // 500 / 40 = 12.5

        var throughput = plan.Rows[0];
        Assert.Equal("throughput", throughput.Sizing);
        Assert.Equal(13, throughput.EdgesPerSite);
        Assert.Equal(130e12, throughput.SiteCacheBytes, 0);
        Assert.Equal(10_000, throughput.TitlesHeld); // room for 14,444 titles: the whole catalog fits
        Assert.Equal(1, throughput.ByteHitRatio);
        Assert.Equal(0, throughput.UpstreamGbpsTotal);
        Assert.Equal(130, throughput.TotalEdges);
        Assert.Equal(500.0 / (13 * 80), throughput.PeakUtilization, 9);
    }

    [Fact]
    public void A_storage_bound_target_adds_edges_and_reaches_the_target()
    {
        var inputs = Small with { EdgeStorageTB = 2, TargetHitRatios = [0.9, 0.97, 0.99] };

        var plan = CapacityPlanner.Plan(inputs);
        var zipf = new ZipfPopularity(inputs.Titles, inputs.Alpha);

        foreach (var row in plan.Rows.Skip(1))
        {
            var target = row.TargetHitRatio!.Value;
            var needed = zipf.ItemsForShare(target);
            Assert.Equal((int)Math.Ceiling(needed * 9e9 / 2e12), row.EdgesForStorage);
            Assert.Equal(Math.Max(plan.EdgesForThroughput, row.EdgesForStorage), row.EdgesPerSite);
            Assert.True(row.ReachesTarget);
            Assert.True(row.ByteHitRatio >= target, $"{row.Sizing}: {row.ByteHitRatio}");
            Assert.Equal(plan.SitePeakGbps * (1 - row.ByteHitRatio), row.UpstreamGbpsPerSite, 9);
        }

        // Higher targets never need fewer edges; the throughput-only row holds the least.
        Assert.True(plan.Rows.Skip(1).Select(r => r.EdgesPerSite).SequenceEqual(plan.Rows.Skip(1).Select(r => r.EdgesPerSite).Order()));
        Assert.True(plan.Rows[0].ByteHitRatio < 0.9);
    }

    [Fact]
    public void Replicas_divide_what_a_site_holds()
    {
        var one = CapacityPlanner.Plan(Small with { EdgeStorageTB = 2 });
        var two = CapacityPlanner.Plan(Small with { EdgeStorageTB = 2, ReplicasPerSite = 2 });

        Assert.InRange(two.Rows[0].TitlesHeld, (one.Rows[0].TitlesHeld / 2) - 1, (one.Rows[0].TitlesHeld / 2) + 1);
        Assert.True(two.Rows[1].EdgesForStorage >= 2 * one.Rows[1].EdgesForStorage - 1);
    }

    [Fact]
    public void A_fast_cpu_makes_the_network_the_bottleneck_and_cleartext_mixes_harmonically()
    {
        var plan = CapacityPlanner.Plan(Small with { HttpsShare = 0.5, EdgeCores = 64 });

        Assert.Equal(1 / ((0.5 / 5) + (0.5 / 20)), plan.CoreGbps, 9); // 8 Gb/s per core
        Assert.Equal("network", plan.Bottleneck);
        Assert.Equal(50, plan.EdgeServeGbps, 9);
    }

    [Fact]
    public void Every_bad_input_is_named()
    {
        var bad = Small with { Viewers = 0, Sites = -1, Alpha = 7, HttpsShare = 1.5, MaxUtilization = 0, TargetHitRatios = [97], EdgeStorageTB = double.NaN };

        var error = Assert.Throws<ArgumentException>(() => CapacityPlanner.Plan(bad));

        foreach (var name in new[] { "viewers", "sites", "alpha", "https-share", "max-utilization", "target 97", "edge-storage" })
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(97.0)]
    [InlineData(0.0)]
    public void A_target_of_one_or_more_or_zero_is_refused(double target)
    {
        var error = Assert.Throws<ArgumentException>(() => CapacityPlanner.Plan(Small with { TargetHitRatios = [target] }));

        Assert.Contains("must be a byte hit ratio above 0 and below 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_storage_bound_row_names_the_cache_as_its_bottleneck_and_says_how_much_cache_the_target_needs()
    {
        var plan = CapacityPlanner.Plan(Small with { EdgeStorageTB = 2, TargetHitRatios = [0.99] });
        var needed = new ZipfPopularity(Small.Titles, Small.Alpha).ItemsForShare(0.99) * 9e9;

        Assert.Equal("cpu", plan.Rows[0].Bottleneck);
        Assert.Null(plan.Rows[0].CacheNeededBytes);
        Assert.Equal("cache", plan.Rows[1].Bottleneck);
        Assert.True(plan.Rows[1].EdgesForStorage > plan.EdgesForThroughput);
        Assert.Equal(needed, plan.Rows[1].CacheNeededBytes!.Value, 0);
    }

    [Fact]
    public void A_throughput_bound_target_row_keeps_the_throughput_bottleneck()
    {
        var plan = CapacityPlanner.Plan(Small);

        Assert.Equal("cpu", plan.Rows[1].Bottleneck);
        Assert.Equal(plan.EdgesForThroughput, plan.Rows[1].EdgesPerSite);
    }

    [Fact]
    public void Each_replica_needs_its_own_edge_even_when_one_edge_could_store_them_all()
    {
        // A tiny catalog: one edge stores every title three times over, but three replicas need three edges.
        var plan = CapacityPlanner.Plan(Small with { Viewers = 1000, Titles = 100, ReplicasPerSite = 3, TargetHitRatios = [0.9] });

        Assert.Equal(1, plan.EdgesForThroughput);
        Assert.Equal(3, plan.Rows[1].EdgesForStorage);
        Assert.Equal(3, plan.Rows[1].EdgesPerSite);
        Assert.Equal("cache", plan.Rows[1].Bottleneck);
    }

    [Fact]
    public void The_hottest_titles_demand_is_its_popularity_share_of_the_site_peak()
    {
        var plan = CapacityPlanner.Plan(Small);

        Assert.Equal(500 * new ZipfPopularity(10_000, 0.8).HeadShare(1), plan.HottestTitleGbpsPerSite, 9);
    }

    [Fact]
    public void The_fill_plan_beats_on_demand_caching_of_the_same_size()
    {
        // Independent requests over Zipf: holding the most popular titles is the best a cache of that size can do;
        // the engine's W-TinyLFU gets close below it (and this cross-checks the analytic model against a simulation).
        var inputs = Small with { Titles = 5_000, EdgeStorageTB = 2 };
        var held = 1_000L;

        var planned = new ZipfPopularity(inputs.Titles, inputs.Alpha).HeadShare(held);
        var reactive = CapacityPlanner.SimulateReactive(inputs, held, requests: 400_000);

        Assert.InRange(reactive, planned - 0.15, planned + 0.01);
    }

    [Fact]
    public void A_catalog_too_large_for_the_trace_is_scaled_down_rather_than_measuring_first_request_misses()
    {
        // 1M titles and 400k requests: unscaled, most requests would be a title's first (a miss whatever the policy).
        var inputs = Small with { Titles = 1_000_000 };
        var held = 300_000L;

        var planned = new ZipfPopularity(inputs.Titles, inputs.Alpha).HeadShare(held);
        var reactive = CapacityPlanner.SimulateReactive(inputs, held, requests: 400_000);

        Assert.InRange(reactive, planned - 0.06, planned + 0.02);
    }
}
