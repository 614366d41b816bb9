using Cdn.Contracts.Fill;
using Cdn.ControlPlane.Fill;
using Xunit.Abstractions;
using static Cdn.ControlPlane.Tests.Fill.PlannerScenario;

namespace Cdn.ControlPlane.Tests.Fill;

public sealed class FillPlannerTests(ITestOutputHelper output)
{
    private static IEnumerable<(string Path, string Node)> Placements(PlannerOutput o)
        => o.Add.Concat(o.Keep).SelectMany(i => i.Nodes.Select(n => (i.Path, n)));

    [Fact]
    public void Units_are_ranked_by_expected_bytes_served_per_byte_stored()
    {
        // Same bytes served, but t-small is a tenth of the size: it earns ten times as much per byte stored.
        var small = Title("small", 1, 2, 10_000);
        var big = Title("big", 1, 20, 10_000);
        var at = Now - TimeSpan.FromMinutes(30);
        var demand = new List<Cdn.ControlPlane.Popularity.PopularityRow>
        {
            new("/small/r0/seg_00000.m4s", "small", at, 100, 1_000_000),
            new("/big/r0/seg_00000.m4s", "big", at, 100, 1_000_000),
        };

        var plan = FillPlanner.Plan(Input([small, big], demand, Nodes(1, 1_000_000)));

        Assert.Equal("/small/r0/", plan.Add[0].Path);
        Assert.Equal("/big/r0/", plan.Add[1].Path);
    }

    [Fact]
    public void The_plan_fits_each_edge_and_puts_replicas_on_distinct_edges()
    {
        var titles = Titles(60);
        var nodes = Nodes(3, 4_000_000);

        var plan = FillPlanner.Plan(Input(titles, Demand(titles), nodes, options: new FillOptions { Replicas = 2 }));

        foreach (var node in nodes)
        {
            var used = plan.Add.Where(i => i.Nodes.Contains(node.NodeId)).Sum(i => i.SizeBytes);
            Assert.InRange(used, 1, node.CapacityBytes);
        }

        // Two distinct edges each; at the capacity boundary a unit may get the one replica that still fits.
        Assert.All(plan.Add, i => Assert.Equal(i.Nodes.Count, i.Nodes.Distinct().Count()));
        Assert.True(plan.Add.Count(i => i.Nodes.Count == 2) >= plan.Add.Count - 2, "all but the boundary units have two replicas");
        Assert.Contains("did not fit", string.Join(";", plan.Warnings), StringComparison.Ordinal);
        // The most demanded title is in; the least is not.
        Assert.Contains(plan.Add, i => i.TitleId == "t0000");
        Assert.DoesNotContain(plan.Add, i => i.Path == "/t0059/r2/");
    }

    [Fact]
    public void What_the_site_holds_is_kept_where_it_is_and_only_the_difference_is_added()
    {
        var titles = Titles(40);
        var nodes = Nodes(2, 3_000_000);
        var first = FillPlanner.Plan(Input(titles, Demand(titles), nodes));
        var basePlan = AsPlan(first, 1);

        var second = FillPlanner.Plan(Input(titles, Demand(titles), nodes, basePlan));

        Assert.Empty(second.Add);
        Assert.Empty(second.Release);
        Assert.Equal(Placements(first).OrderBy(p => p).ToList(), Placements(second).OrderBy(p => p).ToList());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void Small_changes_in_demand_churn_little_of_what_the_site_holds(double drift)
    {
        // 400 titles of 10 MB, Zipf 0.6 demand, room for a tenth of them: many titles near the capacity boundary.
        var titles = Titles(400, renditions: 4);
        var nodes = Nodes(4, 100_000_000);
        var basePlan = AsPlan(FillPlanner.Plan(Input(titles, Demand(titles, skew: 0.6, seed: 1, noise: 0.1), nodes)), 1);
        // The next day: every title's demand moved by up to ±drift, plus hourly noise.
        var nextDay = Demand(titles, skew: 0.6, seed: 2, noise: 0.1, drift: drift);

        var next = FillPlanner.Plan(Input(titles, nextDay, nodes, basePlan));
        var withoutHysteresis = FillPlanner.Plan(Input(titles, nextDay, nodes, basePlan, new FillOptions { Hysteresis = 0 }));

        var churn = (double)next.AddBytes / next.PlannedBytes;
        var churnWithout = (double)withoutHysteresis.AddBytes / withoutHysteresis.PlannedBytes;
        output.WriteLine($"demand drift ±{drift:P0} per title: churn {churn:P2} ({next.AddBytes:N0} of {next.PlannedBytes:N0} bytes added, {next.ReleaseBytes:N0} released); " +
            $"without hysteresis {churnWithout:P2} ({withoutHysteresis.AddBytes:N0} bytes added)");
        Assert.True(churn <= drift / 3, $"churn {churn:P2} should stay under a third of the drift");
        Assert.True(churn <= churnWithout, "hysteresis must not increase churn");
        Assert.True(churnWithout > 0.02, "the scenario must put units at the capacity boundary, or it proves nothing");
    }

    [Fact]
    public void A_pinned_title_is_placed_first_even_without_demand()
    {
        var titles = Titles(20);
        var pin = new FillPin("pin-1", "ams", "t0019", null, null, "premiere", Now);

        var plan = FillPlanner.Plan(Input(titles, Demand(titles.Take(10).ToList()), Nodes(1, 8_000_000), pins: [pin]));

        Assert.Equal("t0019", plan.Add[0].TitleId);
        Assert.Equal(titles[19].Units.Count, plan.Add.Count(i => i.TitleId == "t0019"));
    }

    [Fact]
    public void A_title_released_tomorrow_is_filled_tonight_though_nobody_watched_it_yet()
    {
        var titles = Titles(10);
        titles.Add(Title("premiere", 3, 10, 100_000, release: Now + TimeSpan.FromHours(20)));
        titles.Add(Title("someday", 3, 10, 100_000, release: Now + TimeSpan.FromDays(30)));

        var plan = FillPlanner.Plan(Input(titles, Demand(titles.Take(10).ToList()), Nodes(2, 50_000_000)));

        Assert.Contains(plan.Add, i => i.TitleId == "premiere");
        Assert.DoesNotContain(plan.Add, i => i.TitleId == "someday");
    }

    [Fact]
    public void A_withdrawn_title_is_released_from_the_edges_that_held_it()
    {
        var titles = Titles(5);
        var nodes = Nodes(2, 50_000_000);
        var basePlan = AsPlan(FillPlanner.Plan(Input(titles, Demand(titles), nodes)), 1);

        var plan = FillPlanner.Plan(Input(titles.Skip(1).ToList(), Demand(titles), nodes, basePlan));

        var released = plan.Release.Where(i => i.TitleId == "t0000").ToList();
        Assert.Equal(titles[0].Units.Count, released.Count);
        Assert.Equal(basePlan.Add.Where(i => i.TitleId == "t0000").SelectMany(i => i.Nodes).Order(), released.SelectMany(i => i.Nodes).Order());
    }

    [Fact]
    public void An_added_replica_names_the_edge_that_holds_it_as_its_source()
    {
        var titles = Titles(5);
        var nodes = Nodes(2, 50_000_000);
        var basePlan = AsPlan(FillPlanner.Plan(Input(titles, Demand(titles), nodes, options: new FillOptions { Replicas = 1 })), 1);

        var plan = FillPlanner.Plan(Input(titles, Demand(titles), nodes, basePlan, new FillOptions { Replicas = 2 }));

        Assert.NotEmpty(plan.Add);
        foreach (var item in plan.Add)
        {
            var holder = Assert.Single(basePlan.Add.Single(b => b.Path == item.Path).Nodes);
            Assert.Equal(holder, item.Sources![0]);
            Assert.DoesNotContain(holder, item.Nodes);
        }
    }

    [Fact]
    public void An_edge_with_unknown_capacity_gets_nothing_and_the_plan_says_so()
    {
        var titles = Titles(5);

        var plan = FillPlanner.Plan(Input(titles, Demand(titles), [new PlannerNode("edge-1", 0)]));

        Assert.Empty(plan.Add);
        Assert.Contains("did not fit", string.Join(";", plan.Warnings), StringComparison.Ordinal);
    }
}
