namespace Cdn.ControlPlane.Health;

/// <summary>
/// What the health decision needs to remember about a node; persisted, so every replica reaches the same
/// decision from the same rows.
/// </summary>
/// <param name="RegisteredAt">Last (re-)registration.</param>
/// <param name="LastHeartbeatAt">Last heartbeat received, if any since registration.</param>
/// <param name="HealthySince">Start of the current run of healthy reports without a gap, or null.</param>
/// <param name="ConsecutiveUnhealthy">Unhealthy reports in a row.</param>
internal readonly record struct HealthHistory(DateTimeOffset RegisteredAt, DateTimeOffset? LastHeartbeatAt, DateTimeOffset? HealthySince, int ConsecutiveUnhealthy);
