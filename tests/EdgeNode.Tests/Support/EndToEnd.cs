namespace EdgeNode.Tests.Support;

/// <summary>
/// End-to-end tests run one at a time: each hosts a control plane, a shield and edges, and measures rates over
/// wall time, which a parallel neighbour on a 2-core machine would distort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEnd
{
    public const string Name = "end-to-end";
}
