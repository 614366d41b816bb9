namespace Cdn.NodeAgent;

/// <summary>Implemented by the edge or shield daemon: collects the report sent with each heartbeat.</summary>
public interface INodeReporter
{
    /// <summary>The node's state now. Called once per heartbeat interval; should be quick (no I/O on the hot path).</summary>
    ValueTask<NodeReport> CollectAsync(CancellationToken cancellationToken);
}
