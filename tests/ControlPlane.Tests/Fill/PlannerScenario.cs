using Cdn.Contracts.Catalog;
using Cdn.Contracts.Fill;
using Cdn.ControlPlane.Catalog;
using Cdn.ControlPlane.Fill;
using Cdn.ControlPlane.Popularity;

namespace Cdn.ControlPlane.Tests.Fill;

/// <summary>Synthetic catalogs and demand for planner tests: titles with renditions of equal-sized segments, Zipf-distributed requests.</summary>
internal static class PlannerScenario
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 1, 0, 0, TimeSpan.Zero);

    /// <summary>A title with <paramref name="renditions"/> renditions of <paramref name="segments"/> segments each, plus a master playlist.</summary>
    public static CatalogTitle Title(string id, int renditions, int segments, long segmentBytes, DateTimeOffset? release = null)
    {
        var objects = new List<CatalogObject> { new($"{id}/master.m3u8", 1_000) };
        var ladder = new List<RenditionInfo>();
        for (var r = 0; r < renditions; r++)
        {
            var name = $"r{r}";
            ladder.Add(new RenditionInfo(name, 640 * (r + 1), 360 * (r + 1), 1_000_000 * (r + 1), "avc1", $"{name}/index.m3u8"));
            objects.Add(new CatalogObject($"{id}/{name}/index.m3u8", 2_000));
            for (var s = 0; s < segments; s++)
            {
                objects.Add(new CatalogObject($"{id}/{name}/seg_{s:00000}.m4s", segmentBytes * (r + 1)));
            }
        }

        return CatalogTitle.From(new TitlePublished(id, $"{id}/master.m3u8", release, segments * 6, ladder, objects), Now);
    }

    public static List<CatalogTitle> Titles(int titles, int renditions = 3, int segments = 10, long segmentBytes = 100_000)
        => [.. Enumerable.Range(0, titles).Select(i => Title($"t{i:0000}", renditions, segments, segmentBytes))];

    /// <summary>
    /// Hourly demand over the last <paramref name="hours"/> hours: title i gets requests ∝ 1/(i+1)^<paramref name="skew"/>,
    /// spread over its renditions' first segments; <paramref name="noise"/> multiplies each count by a factor in [1-noise, 1+noise];
    /// <paramref name="drift"/> multiplies each title's demand by one factor in [1-drift, 1+drift] (a title doing better or worse than before).
    /// </summary>
    public static List<PopularityRow> Demand(IReadOnlyList<CatalogTitle> titles, int hours = 48, double skew = 0.9, double noise = 0, int seed = 1, long scale = 100_000, double drift = 0)
    {
        var random = new Random(seed);
        var factors = Enumerable.Range(0, titles.Count).Select(_ => 1 + (drift * ((random.NextDouble() * 2) - 1))).ToArray();
        var rows = new List<PopularityRow>();
        for (var h = 0; h < hours; h++)
        {
            var bucket = Now - TimeSpan.FromHours(h + 1);
            for (var i = 0; i < titles.Count; i++)
            {
                var requests = scale / Math.Pow(i + 1, skew) * factors[i];
                foreach (var unit in titles[i].Units)
                {
                    var n = (long)(requests * (1 + (noise * ((random.NextDouble() * 2) - 1))) / titles[i].Units.Count);
                    if (n <= 0)
                    {
                        continue;
                    }

                    var path = unit.Path + "seg_00000.m4s";
                    rows.Add(new PopularityRow(path, unit.TitleId, bucket, n, n * (unit.Bytes / Math.Max(1, unit.Objects))));
                }
            }
        }

        return rows;
    }

    public static PlannerInput Input(IReadOnlyList<CatalogTitle> titles, IReadOnlyList<PopularityRow> demand, IReadOnlyList<PlannerNode> nodes,
        FillPlan? basePlan = null, FillOptions? options = null, IReadOnlyList<FillPin>? pins = null, DateTimeOffset? now = null)
        => new("ams", now ?? Now, nodes, titles, demand, TimeSpan.FromHours(1), pins ?? [], basePlan, options ?? new FillOptions());

    /// <summary>The plan the output describes, as the service would store it (for the next run's base).</summary>
    public static FillPlan AsPlan(PlannerOutput output, long version)
        => new("ams", version, Now, new FillWindow(new TimeOnly(2, 0), new TimeOnly(14, 0), "UTC"), 0, output.Add, output.Keep, output.Release);

    public static List<PlannerNode> Nodes(int count, long capacity) => [.. Enumerable.Range(1, count).Select(i => new PlannerNode($"edge-{i}", capacity))];
}
