namespace Packager.Jobs;

/// <summary>Wakes idle workers when a job is submitted or retried in this process.</summary>
internal sealed class QueueSignal
{
    public WakeSignal Signal { get; } = new();
}
