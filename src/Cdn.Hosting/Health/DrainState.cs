using Microsoft.Extensions.Hosting;

namespace Cdn.Hosting.Health;

/// <summary>
/// Whether the daemon is draining: set when shutdown begins (or an operator asks), it turns <c>/readyz</c>
/// to 503 so load balancers and the control plane stop sending new clients while in-flight work finishes.
/// </summary>
public sealed class DrainState
{
    private volatile bool _draining;

    /// <summary>Starts draining when the host begins to stop.</summary>
    public DrainState(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        lifetime.ApplicationStopping.Register(() => _draining = true);
    }

    /// <summary>True once draining started.</summary>
    public bool IsDraining => _draining;

    /// <summary>Starts draining (idempotent).</summary>
    public void Drain() => _draining = true;
}
