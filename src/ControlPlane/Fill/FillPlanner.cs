using Cdn.Contracts.Fill;
using Cdn.ControlPlane.Catalog;

namespace Cdn.ControlPlane.Fill;

/// <summary>
/// Decides what a site holds tomorrow. Pure and deterministic (same input, same plan); the method is
/// described by <see cref="Describe"/> and Fill/README.md:
/// <list type="number">
/// <item>Forecast: each unit's (rendition's) bytes served, decayed exponentially by age with
/// <see cref="FillOptions.HalfLife"/>, turned into a rate and scaled to <see cref="FillOptions.Horizon"/>;
/// titles around their release date get at least the site's <see cref="FillOptions.ReleaseBoostQuantile"/>
/// title demand, fading out over <see cref="FillOptions.ReleaseBoostDuration"/>.</item>
/// <item>Rank: expected bytes served per byte stored (forecast over size times replicas); pins first; what
/// the site holds gets the <see cref="FillOptions.Hysteresis"/> bonus.</item>
/// <item>Fit: greedily, each unit on <see cref="FillOptions.Replicas"/> edges — the ones that hold it, then
/// by rendezvous hashing — skipping edges without room, until capacity runs out.</item>
/// <item>Diff against the base plan per edge: add, keep, release.</item>
/// </list>
/// </summary>
internal static class FillPlanner
{
    /// <summary>The method in words, with the settings in force (shown with every plan).</summary>
    public static string Describe(FillOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"forecast = bytes served per rendition, exponentially decayed (half-life {o.HalfLife}), as a rate over the next {o.Horizon}; " +
            $"release boost = the site's p{o.ReleaseBoostQuantile * 100:0} title demand from {o.ReleaseLookahead} before release, fading over {o.ReleaseBoostDuration}; " +
            $"rank = forecast bytes / (bytes × replicas), pins first, held units +{o.Hysteresis * 100:0}%; " +
            $"fit = greedy, {o.Replicas} replica(s) per unit by rendezvous hashing, held placements kept, within each edge's capacity");
    }

    public static PlannerOutput Plan(PlannerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = input.Options;
        var warnings = new List<string>();
        var units = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        var titles = new Dictionary<string, CatalogTitle>(StringComparer.Ordinal);
        foreach (var title in input.Titles)
        {
            titles[title.TitleId] = title;
            foreach (var unit in title.Units)
            {
                units[unit.Path] = new Candidate(unit);
            }
        }

        if (units.Count == 0)
        {
            warnings.Add("the catalog is empty: nothing to place (the packager publishes titles to POST " + Contracts.ControlPlaneRoutes.Titles + ")");
        }

        Forecast(input, units, titles, warnings);
        ApplyPins(input, units, warnings);
        var held = Held(input.Base);
        var replicas = Math.Min(o.Replicas, input.Nodes.Count);
        var ranked = new List<Candidate>(units.Count);
        foreach (var c in units.Values)
        {
            if (c.Pin is null && c.Expected <= 0)
            {
                continue;
            }

            var size = Math.Max(1, c.Unit.Bytes);
            c.Score = c.Expected / ((double)size * Math.Max(1, replicas)) * (held.ContainsKey(c.Unit.Path) ? 1 + o.Hysteresis : 1);
            ranked.Add(c);
        }

        ranked.Sort(static (a, b) =>
        {
            if ((a.Pin is null) != (b.Pin is null))
            {
                return a.Pin is null ? 1 : -1;
            }

            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.Unit.Path, b.Unit.Path);
        });

        var placement = Fit(input, ranked, held, replicas, warnings);
        return Diff(placement, ranked, held, input.Base, units, CapacityOf(input.Nodes), warnings);
    }

    private static void Forecast(PlannerInput input, Dictionary<string, Candidate> units, Dictionary<string, CatalogTitle> titles, List<string> warnings)
    {
        var o = input.Options;
        var halfLife = o.HalfLife.TotalSeconds;
        var middle = input.BucketLength / 2;
        var demand = 0;
        foreach (var row in input.Popularity)
        {
            if (!units.TryGetValue(CatalogTitle.UnitOf(row.Path), out var c))
            {
                continue;
            }

            var age = Math.Max(0, (input.Now - (row.BucketStart + middle)).TotalSeconds);
            var bytes = row.Bytes > 0 ? row.Bytes : row.Requests * (double)c.Unit.Bytes / Math.Max(1, c.Unit.Objects);
            c.Decayed += bytes * Math.Pow(2, -age / halfLife);
            demand++;
        }

        // A decayed sum of a steady rate r is r·H/ln 2; the forecast is that rate over the horizon.
        var scale = Math.Log(2) / halfLife * o.Horizon.TotalSeconds;
        var perTitle = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var c in units.Values)
        {
            c.Expected = c.Decayed * scale;
            perTitle[c.Unit.TitleId] = perTitle.GetValueOrDefault(c.Unit.TitleId) + c.Expected;
        }

        if (demand == 0)
        {
            warnings.Add($"no demand measured at site {input.Site} yet: only pins and titles around their release are placed");
        }

        var positive = perTitle.Values.Where(v => v > 0).Order().ToList();
        var quantile = positive.Count == 0 ? 0 : positive[(int)Math.Min(positive.Count - 1, Math.Floor(o.ReleaseBoostQuantile * positive.Count))];
        foreach (var (id, title) in titles)
        {
            if (title.Summary.ReleaseDate is not { } release || input.Now < release - o.ReleaseLookahead || input.Now >= release + o.ReleaseBoostDuration)
            {
                continue;
            }

            var ramp = input.Now < release || o.ReleaseBoostDuration <= TimeSpan.Zero ? 1 : 1 - ((input.Now - release) / o.ReleaseBoostDuration);
            // Without measured demand a release is expected to be watched through at least once.
            var boost = Math.Max(quantile, title.Summary.Bytes) * ramp;
            var extra = boost - perTitle.GetValueOrDefault(id);
            if (extra <= 0 || title.Summary.Bytes <= 0)
            {
                continue;
            }

            foreach (var unit in title.Units)
            {
                units[unit.Path].Expected += extra * unit.Bytes / title.Summary.Bytes;
            }
        }
    }

    private static void ApplyPins(PlannerInput input, Dictionary<string, Candidate> units, List<string> warnings)
    {
        foreach (var pin in input.Pins)
        {
            var matched = 0;
            foreach (var c in units.Values)
            {
                var hit = (pin.TitleId is null || c.Unit.TitleId == pin.TitleId)
                    && (pin.PathPrefix is null || c.Unit.Path.StartsWith(pin.PathPrefix, StringComparison.Ordinal) || pin.PathPrefix.StartsWith(c.Unit.Path, StringComparison.Ordinal));
                if (hit)
                {
                    c.Pin ??= pin;
                    matched++;
                }
            }

            if (matched == 0)
            {
                warnings.Add($"pin {pin.Id} ({pin.TitleId ?? pin.PathPrefix}) matches nothing in the catalog");
            }
        }
    }

    /// <summary>Unit path → the edges that hold it in the base plan, in the order they were placed.</summary>
    private static Dictionary<string, List<string>> Held(FillPlan? plan)
    {
        var held = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (plan is null)
        {
            return held;
        }

        foreach (var item in plan.Keep.Concat(plan.Add))
        {
            if (!held.TryGetValue(item.Path, out var nodes))
            {
                held[item.Path] = nodes = [];
            }

            foreach (var n in item.Nodes)
            {
                if (!nodes.Contains(n))
                {
                    nodes.Add(n);
                }
            }
        }

        return held;
    }

    private static Dictionary<string, List<string>> Fit(PlannerInput input, List<Candidate> ranked, Dictionary<string, List<string>> held, int replicas, List<string> warnings)
    {
        var free = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var n in input.Nodes)
        {
            free[n.NodeId] = n.CapacityBytes;
        }

        var placement = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (replicas == 0)
        {
            if (ranked.Count > 0)
            {
                warnings.Add($"site {input.Site} has no edge that takes fills (registered, not drained)");
            }

            return placement;
        }

        var order = new List<(ulong Score, string Node)>(input.Nodes.Count);
        var skipped = 0;
        long skippedBytes = 0;
        foreach (var c in ranked)
        {
            var chosen = new List<string>(replicas);
            if (held.TryGetValue(c.Unit.Path, out var holders))
            {
                foreach (var n in holders)
                {
                    if (chosen.Count < replicas && free.TryGetValue(n, out var room) && room >= c.Unit.Bytes)
                    {
                        chosen.Add(n);
                    }
                }
            }

            if (chosen.Count < replicas)
            {
                order.Clear();
                foreach (var n in input.Nodes)
                {
                    order.Add((Rendezvous(c.Unit.Path, n.NodeId), n.NodeId));
                }

                order.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Node, b.Node));
                foreach (var (_, n) in order)
                {
                    if (chosen.Count < replicas && !chosen.Contains(n) && free[n] >= c.Unit.Bytes)
                    {
                        chosen.Add(n);
                    }
                }
            }

            if (chosen.Count == 0)
            {
                skipped++;
                skippedBytes += c.Unit.Bytes;
                if (c.Pin is not null)
                {
                    warnings.Add($"pinned {c.Unit.Path} ({c.Unit.Bytes} bytes, pin {c.Pin.Id}) does not fit: capacity is used up");
                }

                continue;
            }

            foreach (var n in chosen)
            {
                free[n] -= c.Unit.Bytes;
            }

            placement[c.Unit.Path] = chosen;
        }

        if (skipped > 0)
        {
            warnings.Add($"{skipped} unit(s) with demand ({skippedBytes} bytes) did not fit the site's capacity");
        }

        return placement;
    }

    private static PlannerOutput Diff(Dictionary<string, List<string>> placement, List<Candidate> ranked, Dictionary<string, List<string>> held,
        FillPlan? basePlan, Dictionary<string, Candidate> units, long capacity, List<string> warnings)
    {
        var add = new List<FillItem>();
        var keep = new List<FillItem>();
        var release = new List<FillItem>();
        long planned = 0, added = 0, kept = 0, released = 0;
        foreach (var c in ranked)
        {
            if (!placement.TryGetValue(c.Unit.Path, out var nodes))
            {
                continue;
            }

            var old = held.GetValueOrDefault(c.Unit.Path) ?? [];
            var keepNodes = nodes.Where(old.Contains).ToList();
            var addNodes = nodes.Where(n => !old.Contains(n)).ToList();
            planned += c.Unit.Bytes * nodes.Count;
            if (keepNodes.Count > 0)
            {
                keep.Add(Item(c.Unit, keepNodes, null));
                kept += c.Unit.Bytes * keepNodes.Count;
            }

            if (addNodes.Count > 0)
            {
                // Sources: who holds it now (released or kept), then the other new replicas.
                var sources = old.Concat(addNodes).Distinct(StringComparer.Ordinal).ToList();
                add.Add(Item(c.Unit, addNodes, sources));
                added += c.Unit.Bytes * addNodes.Count;
            }
        }

        if (basePlan is not null)
        {
            var baseItems = new Dictionary<string, FillItem>(StringComparer.Ordinal);
            foreach (var item in basePlan.Keep.Concat(basePlan.Add))
            {
                baseItems.TryAdd(item.Path, item);
            }

            foreach (var (path, old) in held)
            {
                var now = placement.GetValueOrDefault(path) ?? [];
                var gone = old.Where(n => !now.Contains(n)).ToList();
                if (gone.Count == 0)
                {
                    continue;
                }

                var item = units.TryGetValue(path, out var c) ? Item(c.Unit, gone, null) : baseItems[path] with { Nodes = gone, Sources = null };
                release.Add(item);
                released += item.SizeBytes * gone.Count;
            }
        }

        return new PlannerOutput(add, keep, release, capacity, planned, added, kept, released, warnings);
    }

    private static FillItem Item(CatalogUnit unit, List<string> nodes, List<string>? sources)
        => new(unit.Path, unit.Bytes, unit.TitleId, nodes, unit.Objects, sources);

    private static long CapacityOf(IReadOnlyList<PlannerNode> nodes)
    {
        long sum = 0;
        foreach (var n in nodes)
        {
            sum += n.CapacityBytes;
        }

        return sum;
    }

    /// <summary>Highest-random-weight score of placing <paramref name="unit"/> on <paramref name="node"/>: FNV-1a, then a 64-bit finalizer.</summary>
    public static ulong Rendezvous(string unit, string node)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(node);
        var h = 14695981039346656037UL;
        foreach (var ch in unit)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        h = (h ^ '\n') * 1099511628211UL;
        foreach (var ch in node)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        return h ^ (h >> 33);
    }

    private sealed class Candidate(CatalogUnit unit)
    {
        public CatalogUnit Unit { get; } = unit;

        public double Decayed { get; set; }

        public double Expected { get; set; }

        public double Score { get; set; }

        public FillPin? Pin { get; set; }
    }
}
