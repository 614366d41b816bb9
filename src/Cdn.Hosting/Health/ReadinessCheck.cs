using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cdn.Hosting.Health;

/// <summary>Tag for health checks that gate <c>/readyz</c> (liveness, <c>/healthz</c>, only says the process answers).</summary>
public static class HealthTags
{
    /// <summary>The readiness tag.</summary>
    public const string Ready = "ready";
}

/// <summary>A readiness check from a delegate, for components that already know their state.</summary>
public sealed class DelegateHealthCheck : IHealthCheck
{
    private readonly Func<HealthCheckResult> _check;

    /// <summary>Wraps <paramref name="check"/>.</summary>
    public DelegateHealthCheck(Func<HealthCheckResult> check) => _check = check;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(_check());
}
