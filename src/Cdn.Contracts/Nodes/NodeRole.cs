namespace Cdn.Contracts.Nodes;

/// <summary>What a cache node does in the hierarchy.</summary>
public enum NodeRole
{
    /// <summary>Serves players; fills from shields.</summary>
    Edge,

    /// <summary>Mid tier; fills from origins, serves edges.</summary>
    Shield,
}
