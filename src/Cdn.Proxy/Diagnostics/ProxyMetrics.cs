using System.Diagnostics.Metrics;
using System.Globalization;
using Cdn.Proxy.Upstream;

namespace Cdn.Proxy.Diagnostics;

/// <summary>
/// Request, byte, upstream and connection instruments of a cache node on the <c>Cdn.Proxy</c> meter, with
/// a <c>service</c> label (edge, shield). Tag values are pre-made strings so recording allocates nothing.
/// </summary>
public sealed class ProxyMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Cdn.Proxy";

    private static readonly string[] StatusText = Enumerable.Range(0, 600).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly string[] ResultText = Enum.GetNames<CacheResult>().Select(n => n.ToLowerInvariant()).ToArray();

    private readonly Meter _meter = new(MeterName);
    private readonly KeyValuePair<string, object?> _service;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _upstreamRequests;
    private readonly Histogram<double> _upstreamSeconds;
    private readonly Counter<long> _upstreamBytes;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _sendfileCalls;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _originRequests;
    private readonly Counter<long> _originBytes;
    private readonly Counter<long> _healthChecks;
    private readonly Counter<long> _resumes;

    /// <summary>Creates the instruments for <paramref name="service"/>.</summary>
    public ProxyMetrics(string service)
    {
        _service = new("service", service);
        _requests = _meter.CreateCounter<long>("cdn_http_requests_total", null, "Requests answered, by status and cache result.");
        _bytes = _meter.CreateCounter<long>("cdn_http_response_body_bytes_total", "By", "Response body bytes sent to clients.");
        _upstreamRequests = _meter.CreateCounter<long>("cdn_upstream_requests_total", null, "Requests sent upstream, by server and outcome.");
        _upstreamSeconds = _meter.CreateHistogram<double>("cdn_upstream_first_byte_seconds", "s", "Time to upstream response headers.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _upstreamBytes = _meter.CreateCounter<long>("cdn_upstream_body_bytes_total", "By", "Body bytes received from upstream.");
        _connections = _meter.CreateUpDownCounter<long>("cdn_http_open_connections", null, "Open client connections, by listener.");
        _sendfileCalls = _meter.CreateCounter<long>("cdn_http_sendfile_calls_total", null, "sendfile(2) calls made for response bodies (zero-copy path).");
        _rejected = _meter.CreateCounter<long>("cdn_http_rejected_requests_total", null, "Requests refused by protocol limits, by reason.");
        _timeouts = _meter.CreateCounter<long>("cdn_upstream_timeouts_total", null,
            "Upstream timeouts by server and kind: connect, first_byte (no response headers in time), idle (body stalled).");
        _originRequests = _meter.CreateCounter<long>("cdn_origin_requests_total", null,
            "Requests sent to origins (not parents), fills, revalidations and pass-through alike, by origin and outcome; health probes excluded.");
        _originBytes = _meter.CreateCounter<long>("cdn_origin_body_bytes_total", "By",
            "Body bytes received from origins (not parents). Offload = cdn_http_response_body_bytes_total / this.");
        _healthChecks = _meter.CreateCounter<long>("cdn_upstream_health_checks_total", null, "Active health probes by server and result (pass, fail).");
        _resumes = _meter.CreateCounter<long>("cdn_upstream_resumes_total", null,
            "Fills whose body broke mid-way, by the server that broke it and whether another server's range resumed it (resumed, failed).");
    }

    /// <summary>sendfile calls so far (also exposed as a metric; tests use it to prove the zero-copy path ran).</summary>
    public long SendfileCalls => Interlocked.Read(ref _sendfileCount);

    private long _sendfileCount;

    private long _requestCount;
    private long _bytesServed;
    private long _bytesFromUpstream;
    private long _openConnections;

    /// <summary>Requests answered since start (for heartbeats).</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Body bytes sent to clients since start.</summary>
    public long BytesServed => Interlocked.Read(ref _bytesServed);

    /// <summary>Body bytes received from upstream since start.</summary>
    public long BytesFromUpstream => Interlocked.Read(ref _bytesFromUpstream);

    /// <summary>Client connections open now (zero-copy listener).</summary>
    public long OpenConnections => Interlocked.Read(ref _openConnections);

    /// <summary>A request was answered.</summary>
    public void Request(int status, CacheResult result, long bodyBytes)
    {
        _requests.Add(1, _service, new("status", StatusText[Math.Clamp(status, 0, 599)]), new("cache", ResultText[(int)result]));
        Interlocked.Increment(ref _requestCount);
        if (bodyBytes > 0)
        {
            _bytes.Add(bodyBytes, _service);
            Interlocked.Add(ref _bytesServed, bodyBytes);
        }
    }

    /// <summary>An upstream request finished (outcome: a status code, "timeout", "error").</summary>
    public void Upstream(string server, string outcome, TimeSpan firstByte)
    {
        _upstreamRequests.Add(1, _service, new("upstream", server), new("outcome", outcome));
        _upstreamSeconds.Record(firstByte.TotalSeconds, _service, new KeyValuePair<string, object?>("upstream", server));
    }

    /// <summary>Upstream body bytes received.</summary>
    public void UpstreamBytes(long bytes)
    {
        _upstreamBytes.Add(bytes, _service);
        Interlocked.Add(ref _bytesFromUpstream, bytes);
    }

    /// <summary>A connection opened (+1) or closed (-1) on <paramref name="listener"/>.</summary>
    public void Connection(string listener, int delta)
    {
        _connections.Add(delta, _service, new KeyValuePair<string, object?>("listener", listener));
        Interlocked.Add(ref _openConnections, delta);
    }

    /// <summary>A sendfile(2) call was made.</summary>
    public void Sendfile()
    {
        Interlocked.Increment(ref _sendfileCount);
        _sendfileCalls.Add(1, _service);
    }

    /// <summary>A request was refused before reaching the cache (431, 414, 400, 408…).</summary>
    public void Rejected(string reason) => _rejected.Add(1, _service, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Requests sent to origins since start.</summary>
    public long OriginRequestCount => Interlocked.Read(ref _originRequestCount);

    /// <summary>Body bytes received from origins since start.</summary>
    public long OriginBytes => Interlocked.Read(ref _originByteCount);

    private long _originRequestCount;
    private long _originByteCount;

    /// <summary>An upstream request timed out.</summary>
    public void UpstreamTimeout(string server, UpstreamTimeoutKind kind)
        => _timeouts.Add(1, _service, new("upstream", server), new("kind", kind switch
        {
            UpstreamTimeoutKind.Connect => "connect",
            UpstreamTimeoutKind.FirstByte => "first_byte",
            _ => "idle",
        }));

    /// <summary>A request went to origin <paramref name="origin"/> (outcome as in <see cref="Upstream"/>).</summary>
    public void OriginRequest(string origin, string outcome)
    {
        _originRequests.Add(1, _service, new("upstream", origin), new("outcome", outcome));
        Interlocked.Increment(ref _originRequestCount);
    }

    /// <summary>Body bytes received from origin <paramref name="origin"/>.</summary>
    public void OriginBytesReceived(string origin, long bytes)
    {
        _originBytes.Add(bytes, _service, new KeyValuePair<string, object?>("upstream", origin));
        Interlocked.Add(ref _originByteCount, bytes);
    }

    /// <summary>A fill's body from <paramref name="server"/> broke; another server resumed it, or not.</summary>
    public void Resume(string server, bool resumed)
        => _resumes.Add(1, _service, new("upstream", server), new("outcome", resumed ? "resumed" : "failed"));

    /// <summary>An active health probe of <paramref name="server"/> finished.</summary>
    public void HealthCheck(string server, bool passed)
        => _healthChecks.Add(1, _service, new("upstream", server), new("result", passed ? "pass" : "fail"));

    /// <summary>
    /// Exports the health of every server of <paramref name="pool"/> as <c>cdn_upstream_health</c>: one series
    /// per server and state (up, down, probing), 1 for the current state and 0 for the others, so
    /// <c>cdn_upstream_health{state="down"} == 1</c> alerts and the role label separates parents from origins.
    /// </summary>
    public void ObserveUpstreams(UpstreamPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var servers = pool.All;
        var states = new[] { UpstreamHealth.Up, UpstreamHealth.Down, UpstreamHealth.Probing };
        _meter.CreateObservableGauge("cdn_upstream_health", () =>
        {
            var measurements = new List<Measurement<int>>(servers.Count * states.Length);
            foreach (var server in servers)
            {
                var health = server.Health;
                var role = server.IsParent ? "parent" : "origin";
                foreach (var state in states)
                {
                    measurements.Add(new Measurement<int>(state == health ? 1 : 0, _service, new("upstream", server.Name), new("role", role),
                        new("state", state.ToString().ToLowerInvariant())));
                }
            }

            return measurements;
        }, null, "Health of each upstream server as this node sees it: 1 for its current state (up, down, probing), 0 for the others.");
    }

    /// <summary>Status text for a code (cached strings).</summary>
    public static string Status(int status) => StatusText[Math.Clamp(status, 0, 599)];

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
