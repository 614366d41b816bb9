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
/// An upstream server and its health as this node sees it, from two signals.
/// <para>Passive (every server): <see cref="UpstreamOptions.FailuresToMarkDown"/> consecutive failed requests
/// take it down for <see cref="UpstreamOptions.DownTime"/>; then a single live request probes it (others still
/// skip it), so a recovering server is not flooded and a flapping one does not flap the traffic.</para>
/// <para>Active (origins when <see cref="UpstreamOptions.HealthCheck"/> is set, parents with a
/// <see cref="UpstreamServerOptions.HealthCheckUrl"/>; see <see cref="RecordCheck"/>):
/// <see cref="ActiveHealthCheckOptions.UnhealthyThreshold"/> consecutive failed probes take it down with no
/// live request spent on it — it stays down, whatever the passive state, until
/// <see cref="ActiveHealthCheckOptions.HealthyThreshold"/> consecutive probes pass. A passed probe also ends a
/// passive down time early: the server goes to <see cref="UpstreamHealth.Probing"/> and one live request
/// decides, because a health URL that answers does not prove that objects are served.</para>
/// <para>So: either signal can take a server down; it serves again only when the probes pass (if any) and a
/// live request has succeeded since the passive signal took it down.</para>
/// </summary>
public sealed class UpstreamServer
{
    private readonly int _failuresToMarkDown;
    private readonly TimeSpan _downTime;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly ActiveHealthCheckOptions? _activeChecks;
    private int _consecutiveFailures;
    private DateTimeOffset _downUntil;
    private bool _probeInFlight;
    private bool _activeDown;
    private int _checksPassed;
    private int _checksFailed;

    internal UpstreamServer(UpstreamServerOptions options, bool isParent, int failuresToMarkDown, TimeSpan downTime, TimeProvider time,
        ActiveHealthCheckOptions? activeChecks = null)
    {
        _activeChecks = activeChecks;
        Options = options;
        IsParent = isParent;
        Name = options.DisplayName;
        BaseUri = options.Uri;
        Weight = options.Weight;
        _failuresToMarkDown = failuresToMarkDown;
        _downTime = downTime;
        _time = time;
        Seed = UpstreamPool.ObjectHash(System.Text.Encoding.UTF8.GetBytes(Name));
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

    /// <summary>True while failed active probes hold the server down (no request goes to it).</summary>
    public bool ProbesHoldDown
    {
        get
        {
            lock (_lock)
            {
                return _activeDown;
            }
        }
    }

    /// <summary>The active checks of this server, or null when only passive health applies.</summary>
    public ActiveHealthCheckOptions? ActiveChecks => _activeChecks;

    /// <summary>Current health.</summary>
    public UpstreamHealth Health
    {
        get
        {
            lock (_lock)
            {
                if (_activeDown)
                {
                    return UpstreamHealth.Down;
                }

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
            if (_activeDown)
            {
                return false;
            }

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

    /// <summary>
    /// An active probe's result. Returns true when it changed whether the probes hold the server down (for
    /// logging).
    /// </summary>
    public bool RecordCheck(bool passed)
    {
        if (_activeChecks is null)
        {
            throw new InvalidOperationException($"{Name} has no active health checks");
        }

        lock (_lock)
        {
            var wasDown = _activeDown;
            if (passed)
            {
                _checksFailed = 0;
                _checksPassed++;
                if (_activeDown && _checksPassed >= _activeChecks.HealthyThreshold)
                {
                    _activeDown = false;
                }

                var now = _time.GetUtcNow();
                if (!_activeDown && _consecutiveFailures >= _failuresToMarkDown && _downUntil > now)
                {
                    _downUntil = now; // passively down: let one live request decide now
                }
            }
            else
            {
                _checksPassed = 0;
                _checksFailed++;
                if (_checksFailed >= _activeChecks.UnhealthyThreshold)
                {
                    _activeDown = true;
                }
            }

            return wasDown != _activeDown;
        }
    }
}
