using Cdn.Contracts.Nodes;

namespace Cdn.ControlPlane.Health;

/// <summary>
/// The health state machine as pure functions of the history and the clock:
/// down when heartbeats stop for <see cref="HealthOptions.DownAfter"/> or after
/// <see cref="HealthOptions.UnhealthyReportsToDown"/> unhealthy reports; up only after healthy reports
/// without a gap for <see cref="HealthOptions.UpAfter"/>; pending in between. Any unhealthy run or silence
/// restarts the healthy run, which is the hysteresis.
/// </summary>
internal static class HealthPolicy
{
    /// <summary>A fresh registration: nothing proven yet.</summary>
    public static HealthHistory Registered(DateTimeOffset now) => new(now, null, null, 0);

    /// <summary>Folds one heartbeat into the history.</summary>
    public static HealthHistory OnHeartbeat(HealthHistory history, bool healthy, DateTimeOffset now, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var silent = history.LastHeartbeatAt is not { } last || now - last > options.DownAfter;
        if (!healthy)
        {
            var unhealthy = history.ConsecutiveUnhealthy + 1;
            var healthySince = unhealthy >= options.UnhealthyReportsToDown || silent ? null : history.HealthySince;
            return history with { LastHeartbeatAt = now, HealthySince = healthySince, ConsecutiveUnhealthy = unhealthy };
        }

        var since = silent || history.HealthySince is null ? now : history.HealthySince;
        return history with { LastHeartbeatAt = now, HealthySince = since, ConsecutiveUnhealthy = 0 };
    }

    /// <summary>The state at <paramref name="now"/>.</summary>
    public static HealthVerdict Evaluate(HealthHistory history, DateTimeOffset now, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (history.LastHeartbeatAt is not { } last)
        {
            return now - history.RegisteredAt > options.DownAfter
                ? new HealthVerdict(NodeState.Down, "no heartbeat since registration")
                : new HealthVerdict(NodeState.Pending, "registered, waiting for the first heartbeat");
        }

        if (now - last > options.DownAfter)
        {
            return new HealthVerdict(NodeState.Down, $"missed heartbeats: last one {(now - last).TotalSeconds:0.#}s ago");
        }

        if (history.ConsecutiveUnhealthy >= options.UnhealthyReportsToDown)
        {
            return new HealthVerdict(NodeState.Down, "reports unhealthy");
        }

        if (history.HealthySince is not { } since)
        {
            return new HealthVerdict(NodeState.Down, "reports unhealthy");
        }

        var healthyFor = now - since;
        return healthyFor >= options.UpAfter
            ? new HealthVerdict(NodeState.Up, null)
            : new HealthVerdict(NodeState.Pending, $"healthy for {healthyFor.TotalSeconds:0.#}s of {options.UpAfter.TotalSeconds:0.#}s");
    }
}
