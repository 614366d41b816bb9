namespace Cdn.ControlPlane.Tests.Support;

/// <summary>
/// Tests that run alone, after the parallel ones: the CPU-heavy fuzzers, and the functional tests that
/// assert wall-clock deadlines (a change visible within one heartbeat period), which other tests' load on
/// a 2-core machine would otherwise make flaky.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
