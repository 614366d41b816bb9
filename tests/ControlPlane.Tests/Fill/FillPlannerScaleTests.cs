using System.Diagnostics;
using Cdn.Contracts.Catalog;
using Cdn.ControlPlane.Catalog;
using Cdn.ControlPlane.Fill;
using Cdn.ControlPlane.Tests.Support;
using Xunit.Abstractions;
using static Cdn.ControlPlane.Tests.Fill.PlannerScenario;

namespace Cdn.ControlPlane.Tests.Fill;

/// <summary>The planner at a realistic scale; runs alone (CPU- and memory-heavy). It prints how long it took; it does not time itself.</summary>
[Collection(SerialCollection.Name)]
public sealed class FillPlannerScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void A_realistic_catalog_is_planned_within_the_sites_capacity()
    {
        // 5,000 titles × (7 renditions of 900 two-second segments + the master playlist) ≈ 31.5 M objects in 40,000 units;
        // two weeks of hourly demand for the hottest 1,500 titles (4 M rows); 20 edges of 1 TB (not all of it fits).
        var titles = Enumerable.Range(0, 5_000).Select(i => RealisticTitle($"t{i:0000}")).ToList();
        var demand = Demand(titles.Take(1_500).ToList(), hours: 14 * 24, skew: 1.0);
        var nodes = Nodes(20, 1_000_000_000_000);
        var watch = Stopwatch.StartNew();

        var plan = FillPlanner.Plan(Input(titles, demand, nodes));

        watch.Stop();
        output.WriteLine($"{titles.Sum(t => t.Summary.Objects):N0} objects in {titles.Sum(t => t.Units.Count):N0} units, {demand.Count:N0} demand rows, 20 edges: " +
            $"planned {plan.Add.Count:N0} placements ({plan.PlannedBytes / 1e12:0.0} TB) in {watch.Elapsed.TotalSeconds:0.00} s");
        Assert.NotEmpty(plan.Add);
        Assert.InRange(plan.PlannedBytes, 1, plan.CapacityBytes); // not all of it fits: the plan fills, never overfills
        Assert.All(plan.Add.GroupBy(a => a.Path), g => Assert.Single(g)); // each unit planned once
    }

    /// <summary>A title as the catalog keeps it for planning (units, not the object list): 7 renditions of 900 segments.</summary>
    private static CatalogTitle RealisticTitle(string id)
    {
        var units = new List<CatalogUnit> { new($"/{id}/", id, 1, 2_000) };
        units.AddRange(Enumerable.Range(0, 7).Select(r => new CatalogUnit($"/{id}/r{r}/", id, 901, 900L * 400_000 * (r + 1))));
        return new CatalogTitle(new TitleSummary(id, $"{id}/master.m3u8", null, 1800, 7, units.Sum(u => u.Objects), units.Sum(u => u.Bytes), Now), units);
    }
}
