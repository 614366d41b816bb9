namespace Cdn.Contracts.Purge;

/// <summary>Whether a purge names one URL or everything under a prefix.</summary>
public enum PurgeKind
{
    /// <summary>Exactly one object (all its variants).</summary>
    Url,

    /// <summary>Every object whose URL starts with the target.</summary>
    Prefix,
}

/// <summary>An operator's purge, fanned out by the control plane to every edge and shield.</summary>
/// <param name="Target">Absolute URL (<c>https://cdn.example/title/seg1.m4s</c>) or host + path prefix.</param>
/// <param name="Kind">URL or prefix.</param>
public sealed record PurgeRequest(string Target, PurgeKind Kind);

/// <summary>What a node's admin API receives.</summary>
public sealed record NodePurgeCommand(string PurgeId, string Target, PurgeKind Kind);

/// <summary>A node's answer: how many objects it removed.</summary>
public sealed record NodePurgeResult(string PurgeId, long ObjectsRemoved);

/// <summary>Progress of one purge across the fleet.</summary>
public sealed record PurgeStatus(
    string PurgeId,
    string Target,
    PurgeKind Kind,
    DateTimeOffset CreatedAt,
    bool Complete,
    IReadOnlyList<NodePurgeState> Nodes);

/// <summary>One node's part in a purge.</summary>
public sealed record NodePurgeState(string NodeId, bool Done, int Attempts, string? LastError, DateTimeOffset? DoneAt, long ObjectsRemoved);
