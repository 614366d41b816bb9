using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Health;

/// <summary>How node health is judged (section <c>Health</c>).</summary>
internal sealed class HealthOptions : IValidatableOptions
{
    /// <summary>How often nodes heartbeat (told to them at registration).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A node is down after this many heartbeat intervals without one. 3: one lost packet or slow GC is not an outage.</summary>
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>
    /// A node is up only after reporting healthy continuously for this long (hysteresis: a node that
    /// alternates healthy and unhealthy never gets players).
    /// </summary>
    public TimeSpan UpAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive unhealthy reports that take a node down (1: believe the node).</summary>
    public int UnhealthyReportsToDown { get; set; } = 1;

    /// <summary>How often states are re-evaluated against the clock (missed heartbeats need no event).</summary>
    public TimeSpan EvaluateInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a replica re-reads shared state written by others (PostgreSQL); the embedded store reads it too, cheaply.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Silence after which a node counts as down.</summary>
    public TimeSpan DownAfter => HeartbeatInterval * MissedHeartbeats;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.InRange(HeartbeatInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(HeartbeatInterval)));
        errors.InRange(MissedHeartbeats, 1, 100, OptionsErrors.Path(path, nameof(MissedHeartbeats)));
        errors.InRange(UpAfter, TimeSpan.Zero, TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(UpAfter)));
        errors.InRange(UnhealthyReportsToDown, 1, 100, OptionsErrors.Path(path, nameof(UnhealthyReportsToDown)));
        errors.InRange(EvaluateInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), OptionsErrors.Path(path, nameof(EvaluateInterval)));
        errors.InRange(RefreshInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(RefreshInterval)));
    }
}
