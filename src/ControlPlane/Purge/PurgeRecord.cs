using Cdn.Contracts.Nodes;
using Cdn.Contracts.Purge;

namespace Cdn.ControlPlane.Purge;

/// <summary>A purge as stored: the request and each node's part in it.</summary>
/// <param name="Revision">Optimistic concurrency token (replicas may work on the same purge).</param>
internal sealed record PurgeRecord(string PurgeId, string Target, PurgeKind Kind, DateTimeOffset CreatedAt, IReadOnlyList<PurgeNodeRecord> Nodes, DateTimeOffset? CompletedAt, long Revision)
{
    public PurgeStatus ToStatus()
        => new(PurgeId, Target, Kind, CreatedAt, CompletedAt is not null,
            [.. Nodes.Select(n => new NodePurgeState(n.NodeId, n.Done, n.Attempts, n.LastError, n.DoneAt, n.ObjectsRemoved))]);
}

/// <summary>One node's part in a purge.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Role">Edge or shield (shields go first).</param>
/// <param name="Done">It confirmed the purge.</param>
/// <param name="Attempts">Calls made.</param>
/// <param name="LastError">Why the last call failed.</param>
/// <param name="DoneAt">When it confirmed.</param>
/// <param name="ObjectsRemoved">What it removed (summed over confirmations).</param>
/// <param name="LastAttemptAt">When it was last called.</param>
/// <param name="NextAttemptAt">Not before this (backoff).</param>
internal sealed record PurgeNodeRecord(
    string NodeId,
    NodeRole Role,
    bool Done,
    int Attempts,
    string? LastError,
    DateTimeOffset? DoneAt,
    long ObjectsRemoved,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset NextAttemptAt);
