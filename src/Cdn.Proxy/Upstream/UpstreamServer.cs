namespace Cdn.Proxy.Upstream;

/// <summary>Health of an upstream server as this node sees it.</summary>
public enum UpstreamHealth
{
    /// <summary>Taking requests.</summary>
    Up,

    /// <summary>Failed repeatedly; skipped until its down time passes.</summary>
    Down,

    /// <summary>Down time passed: one request probes it; success brings it up, failure keeps it down.</summary>
    Probing,
}

/// <summary>
/// An upstream server and its passive health: <see cref="UpstreamOptions.FailuresToMarkDown"/> consecutive
/// failures take it down for <see cref="UpstreamOptions.DownTime"/>; then a single request probes it (others
/// still skip it), so a recovering server is not flooded and a flapping one does not flap the traffic.
/// Active checks (shields) report through the same <see cref="RecordSuccess"/>/<see cref="RecordFailure"/>.
/// </summary>
public sealed class UpstreamServer
{
    private readonly int _failuresToMarkDown;
    private readonly TimeSpan _downTime;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private DateTimeOffset _downUntil;
    private bool _probeInFlight;

    internal UpstreamServer(UpstreamServerOptions options, bool isParent, int failuresToMarkDown, TimeSpan downTime, TimeProvider time)
    {
        Options = options;
        IsParent = isParent;
        Name = options.DisplayName;
        BaseUri = options.Uri;
        Weight = options.Weight;
        _failuresToMarkDown = failuresToMarkDown;
        _downTime = downTime;
        _time = time;
        Seed = (ulong)StringComparer.Ordinal.GetHashCode(Name) * 0x9E3779B97F4A7C15UL;
    }

    /// <summary>Configuration.</summary>
    public UpstreamServerOptions Options { get; }

    /// <summary>A parent cache (true) or an origin.</summary>
    public bool IsParent { get; }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>Base URL.</summary>
    public Uri BaseUri { get; }

    /// <summary>Rendezvous weight.</summary>
    public double Weight { get; }

    internal ulong Seed { get; }

    /// <summary>Current health.</summary>
    public UpstreamHealth Health
    {
        get
        {
            lock (_lock)
            {
                if (_consecutiveFailures < _failuresToMarkDown)
                {
                    return UpstreamHealth.Up;
                }

                return _time.GetUtcNow() >= _downUntil ? UpstreamHealth.Probing : UpstreamHealth.Down;
            }
        }
    }

    /// <summary>
    /// Whether a request may go to this server now. A down server whose down time passed admits exactly one
    /// probe until that probe reports.
    /// </summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_consecutiveFailures < _failuresToMarkDown)
            {
                return true;
            }

            if (_time.GetUtcNow() < _downUntil || _probeInFlight)
            {
                return false;
            }

            _probeInFlight = true;
            return true;
        }
    }

    /// <summary>A request succeeded: the server is up.</summary>
    public void RecordSuccess()
    {
        lock (_lock)
        {
            _consecutiveFailures = 0;
            _probeInFlight = false;
        }
    }

    /// <summary>A request failed (connect error, timeout, 5xx): counts towards going down, or extends the down time.</summary>
    public void RecordFailure()
    {
        lock (_lock)
        {
            _consecutiveFailures++;
            _probeInFlight = false;
            if (_consecutiveFailures >= _failuresToMarkDown)
            {
                _downUntil = _time.GetUtcNow() + _downTime;
            }
        }
    }
}
