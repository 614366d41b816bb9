using Microsoft.Extensions.Logging;

namespace Cdn.NodeAgent;

/// <summary>Log events of the node agent: 7400–7449 (inside the control plane's block; it is the control plane's client).</summary>
internal static partial class NodeAgentLog
{
    [LoggerMessage(7400, LogLevel.Information, "Registered with the control plane as {NodeId} (site {Site}); heartbeat every {Interval}")]
    public static partial void Registered(ILogger logger, string nodeId, string site, TimeSpan interval);

    [LoggerMessage(7401, LogLevel.Warning, "Control plane call failed ({Failures} in a row), retrying in {Delay}: {Error}")]
    public static partial void CallFailed(ILogger logger, int failures, TimeSpan delay, string error);

    [LoggerMessage(7402, LogLevel.Warning, "Control plane does not know node {NodeId}; registering again")]
    public static partial void Forgotten(ILogger logger, string nodeId);

    [LoggerMessage(7403, LogLevel.Information, "Control plane now reports this node {State}")]
    public static partial void StateChanged(ILogger logger, Contracts.Nodes.NodeState state);

    [LoggerMessage(7404, LogLevel.Information, "Told the control plane this node is draining")]
    public static partial void SaidGoodbye(ILogger logger);

    [LoggerMessage(7405, LogLevel.Warning, "Could not tell the control plane this node is draining: {Error}")]
    public static partial void GoodbyeFailed(ILogger logger, string error);

    [LoggerMessage(7406, LogLevel.Error, "The control plane rejected this node's registration; fix the configuration: {Error}")]
    public static partial void Rejected(ILogger logger, string error);
}
