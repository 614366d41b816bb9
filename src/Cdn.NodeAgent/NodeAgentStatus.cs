using Cdn.Contracts.Nodes;

namespace Cdn.NodeAgent;

/// <summary>The agent's view of its relationship with the control plane (for the node's logs, metrics and readiness).</summary>
public sealed class NodeAgentStatus
{
    private long _lastSuccessTicks;
    private long _fillPlanVersion;

    /// <summary>Registered since the last start (or re-registration after a 404).</summary>
    public bool Registered { get; internal set; }

    /// <summary>The state the control plane reported in its last heartbeat answer.</summary>
    public NodeState? State { get; internal set; }

    /// <summary>Failed calls in a row.</summary>
    public int ConsecutiveFailures { get; internal set; }

    /// <summary>The last error, cleared on success.</summary>
    public string? LastError { get; internal set; }

    /// <summary>Heartbeats accepted since start.</summary>
    public long HeartbeatsSent { get; internal set; }

    /// <summary>The fill plan version the control plane said this node should hold (0: none, or not heard yet).</summary>
    public long FillPlanVersion
    {
        get => Interlocked.Read(ref _fillPlanVersion);
        internal set => Interlocked.Exchange(ref _fillPlanVersion, value);
    }

    /// <summary>When a call last succeeded.</summary>
    public DateTimeOffset? LastSuccess
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastSuccessTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        internal set => Interlocked.Exchange(ref _lastSuccessTicks, value?.UtcTicks ?? 0);
    }
}
