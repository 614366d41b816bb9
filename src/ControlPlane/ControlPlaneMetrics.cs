using System.Diagnostics.Metrics;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Dns;
using Cdn.ControlPlane.Registry;
using Cdn.ControlPlane.Steering;

namespace Cdn.ControlPlane;

/// <summary>
/// The control plane's meter (<c>Cdn.ControlPlane</c>). DNS counts live in per-thread
/// <see cref="DnsCounters"/> arrays and are summed here at scrape time, so the packet path never touches
/// the metrics listener; node states are read from the registry at scrape time too.
/// </summary>
internal sealed class ControlPlaneMetrics : IDisposable
{
    public const string MeterName = "Cdn.ControlPlane";

    private readonly Meter _meter = new(MeterName);
    private readonly Lock _lock = new();
    private readonly List<DnsCounters> _dns = [];

    public ControlPlaneMetrics(NodeRegistry nodes, SteeringState steering, ActiveCoverageZones zones)
    {
        _meter.CreateObservableCounter("controlplane_dns_queries_total", QueryMeasurements, null, "DNS queries answered, by transport, response code and query type.");
        _meter.CreateObservableCounter("controlplane_dns_answers_total", () => AnswerMeasurements(steering.Labels), null, "Steered A/AAAA answers, by the site (or shields, last-resort) the addresses came from.");
        _meter.CreateObservableCounter("controlplane_dns_client_subnet_queries_total", () => Sum(static c => c.ClientSubnet[0]), null, "Queries carrying EDNS Client Subnet.");
        _meter.CreateObservableCounter("controlplane_dns_truncated_total", () => Sum(static c => c.Truncated[0]), null, "UDP replies truncated (TC) because the answer did not fit.");
        _meter.CreateObservableCounter("controlplane_dns_dropped_total", () => Sum(static c => c.Dropped[0]), null, "Packets dropped without reply (shorter than a header, or responses).");
        _meter.CreateObservableGauge("controlplane_nodes", () => NodeMeasurements(nodes), null, "Registered nodes by role, site, state and drain.");
        _meter.CreateObservableCounter("controlplane_coverage_zone_reloads_total", () => (IEnumerable<Measurement<long>>)
        [
            new(zones.AppliedCount, new KeyValuePair<string, object?>("result", "applied")),
            new(zones.RejectedCount, new KeyValuePair<string, object?>("result", "rejected")),
        ], null, "Coverage zone documents offered (file, API, store), by result.");
        _meter.CreateObservableGauge("controlplane_coverage_zone_networks", () => zones.Current.NetworkCount, null, "Networks in the coverage zones in force.");
        _meter.CreateObservableGauge("controlplane_answer_view_version", () => steering.Current.Version, null, "Version of the published answer view (increments on every rebuild).");
    }

    /// <summary>Adds a DNS worker's counters to the sums.</summary>
    public void Track(DnsCounters counters)
    {
        lock (_lock)
        {
            _dns.Add(counters);
        }
    }

    private long Sum(Func<DnsCounters, long> read)
    {
        lock (_lock)
        {
            long total = 0;
            foreach (var c in _dns)
            {
                total += read(c);
            }

            return total;
        }
    }

    private List<Measurement<long>> QueryMeasurements()
    {
        var totals = new long[DnsCounters.Transports * DnsCounters.Codes * DnsCounters.Types];
        lock (_lock)
        {
            foreach (var c in _dns)
            {
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += Volatile.Read(ref c.Queries[i]);
                }
            }
        }

        var list = new List<Measurement<long>>();
        for (var i = 0; i < totals.Length; i++)
        {
            if (totals[i] == 0)
            {
                continue;
            }

            var type = i % DnsCounters.Types;
            var code = i / DnsCounters.Types % DnsCounters.Codes;
            var transport = i / (DnsCounters.Types * DnsCounters.Codes);
            list.Add(new Measurement<long>(totals[i],
                new KeyValuePair<string, object?>("transport", transport == 0 ? "udp" : "tcp"),
                new KeyValuePair<string, object?>("rcode", DnsCounters.CodeName(code)),
                new KeyValuePair<string, object?>("qtype", DnsCounters.TypeName(type))));
        }

        return list;
    }

    private List<Measurement<long>> AnswerMeasurements(AnswerSourceLabels labels)
    {
        var names = labels.All;
        var list = new List<Measurement<long>>();
        lock (_lock)
        {
            for (var i = 0; i < names.Count && i < DnsCounters.MaxSources; i++)
            {
                long total = 0;
                foreach (var c in _dns)
                {
                    total += Volatile.Read(ref c.Answers[i]);
                }

                list.Add(new Measurement<long>(total, new KeyValuePair<string, object?>("site", names[i])));
            }
        }

        return list;
    }

    private static List<Measurement<long>> NodeMeasurements(NodeRegistry nodes)
    {
        var counts = new Dictionary<(NodeRole, string, NodeState, bool), long>();
        foreach (var (node, verdict) in nodes.Snapshot())
        {
            var key = (node.Registration.Role, node.Registration.Site, verdict.State, node.Drained || node.ShuttingDown);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var list = new List<Measurement<long>>(counts.Count);
        foreach (var ((role, site, state, drained), count) in counts)
        {
            list.Add(new Measurement<long>(count,
                new KeyValuePair<string, object?>("role", role.ToString().ToLowerInvariant()),
                new KeyValuePair<string, object?>("site", site),
                new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()),
                new KeyValuePair<string, object?>("drained", drained ? "true" : "false")));
        }

        return list;
    }

    public void Dispose() => _meter.Dispose();
}
