using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Popularity;
using Cdn.ControlPlane.Registry;

namespace Cdn.ControlPlane.Stats;

/// <summary>
/// The fleet at a glance: each site's nodes summed from their last heartbeats (load, hit ratios, cache use),
/// and the most requested titles and objects over a recent window of the popularity store.
/// </summary>
internal sealed class FleetStatsBuilder
{
    private readonly NodeRegistry _nodes;
    private readonly PopularityAggregator _popularity;
    private readonly TimeProvider _time;

    public FleetStatsBuilder(NodeRegistry nodes, PopularityAggregator popularity, TimeProvider time)
    {
        _nodes = nodes;
        _popularity = popularity;
        _time = time;
    }

    public async Task<FleetStats> BuildAsync(string? site, int top, double hours, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var groups = new SortedDictionary<(string Site, NodeRole Role), List<(Cdn.ControlPlane.Registry.NodeRecord Node, NodeState State)>>();
        foreach (var (node, verdict) in _nodes.Snapshot())
        {
            var r = node.Registration;
            if (site is not null && r.Site != site)
            {
                continue;
            }

            if (!groups.TryGetValue((r.Site, r.Role), out var list))
            {
                groups[(r.Site, r.Role)] = list = [];
            }

            list.Add((node, verdict.State));
        }

        var sites = new List<SiteStats>(groups.Count);
        foreach (var ((name, role), members) in groups)
        {
            double gbps = 0, rps = 0;
            long connections = 0, requests = 0, hits = 0, served = 0, upstream = 0, used = 0, capacity = 0;
            var up = 0;
            foreach (var (node, state) in members)
            {
                up += state == NodeState.Up ? 1 : 0;
                if (node.LastReport is not { } report || state == NodeState.Down)
                {
                    continue;
                }

                gbps += report.Load.GbpsOut;
                rps += report.Load.RequestsPerSecond;
                connections += report.Load.Connections;
                requests += report.Cache.Requests;
                hits += report.Cache.Hits;
                served += report.Cache.BytesServed;
                upstream += report.Cache.BytesFromUpstream;
                used += report.Cache.BytesUsed;
                capacity += report.Cache.BytesCapacity;
            }

            var totals = new CacheStatsReport(0, used, capacity, requests, hits, served, upstream);
            sites.Add(new SiteStats(name, role, members.Count, up, gbps, rps, connections, totals.HitRatio, totals.ByteHitRatio, used, capacity));
        }

        var rows = await _popularity.LoadAsync(site, now - TimeSpan.FromHours(hours), cancellationToken);
        var titles = new Dictionary<string, (long Requests, long Bytes)>(StringComparer.Ordinal);
        var objects = new Dictionary<string, (string Title, long Requests, long Bytes)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var t = titles.GetValueOrDefault(row.TitleId);
            titles[row.TitleId] = (t.Requests + row.Requests, t.Bytes + row.Bytes);
            var o = objects.TryGetValue(row.Path, out var existing) ? existing : (row.TitleId, 0L, 0L);
            objects[row.Path] = (o.Item1, o.Item2 + row.Requests, o.Item3 + row.Bytes);
        }

        var topTitles = titles.OrderByDescending(p => p.Value.Requests).ThenBy(p => p.Key, StringComparer.Ordinal).Take(top)
            .Select(p => new TitleStats(p.Key, p.Value.Requests, p.Value.Bytes)).ToList();
        var topObjects = objects.OrderByDescending(p => p.Value.Requests).ThenBy(p => p.Key, StringComparer.Ordinal).Take(top)
            .Select(p => new ObjectPopularity(p.Key, p.Value.Title, p.Value.Requests, p.Value.Bytes)).ToList();
        return new FleetStats(now, sites, topTitles, topObjects, hours);
    }
}
