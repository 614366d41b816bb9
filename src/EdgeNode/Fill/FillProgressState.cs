namespace EdgeNode.Fill;

/// <summary>What the agent is doing now, readable from any thread (metrics, reports, tests).</summary>
internal sealed record FillProgressState(
    long PlanVersion,
    long ObjectsDone,
    long ObjectsTotal,
    long BytesDone,
    long BytesTotal,
    long Failing,
    bool InWindow,
    string Activity,
    string? LastError)
{
    public static readonly FillProgressState Idle = new(0, 0, 0, 0, 0, 0, false, "no plan yet", null);
}
