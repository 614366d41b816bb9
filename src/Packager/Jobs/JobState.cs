namespace Packager.Jobs;

/// <summary>The life of a job: Queued → Running → Succeeded | Failed | Cancelled; Failed and Cancelled can be retried (→ Queued).</summary>
internal enum JobState
{
    /// <summary>Waiting for a worker (new, retried, or released by a stopping worker).</summary>
    Queued,

    /// <summary>Claimed by a worker that holds its lease.</summary>
    Running,

    /// <summary>Published into the origin tree.</summary>
    Succeeded,

    /// <summary>Stopped with a reason; nothing published.</summary>
    Failed,

    /// <summary>Cancelled by an operator before it was published.</summary>
    Cancelled,
}
