using Cdn.Contracts.Fill;

namespace EdgeNode.Fill;

/// <summary>
/// Where the agent is in its plan, persisted after every batch so a restart resumes there. The work list is
/// the plan's keeps then its adds (each an object or a unit of objects); <see cref="Item"/> and
/// <see cref="Object"/> point at the next object to do.
/// </summary>
/// <param name="PlanVersion">The plan this cursor walks.</param>
/// <param name="Item">Next item of the work list.</param>
/// <param name="Object">Next object within that item.</param>
/// <param name="ObjectsDone">Objects held and pinned so far.</param>
/// <param name="BytesDone">Their bytes.</param>
/// <param name="Errors">Objects that failed (each is retried).</param>
/// <param name="Failed">Paths of objects to try again after the pass.</param>
/// <param name="Unpin">Items to unpin (released by this plan, or held by the previous one and gone from this one).</param>
/// <param name="LastError">The last failure.</param>
internal sealed record FillCursor(
    long PlanVersion,
    int Item,
    int Object,
    long ObjectsDone,
    long BytesDone,
    long Errors,
    IReadOnlyList<FillObject> Failed,
    IReadOnlyList<FillItem> Unpin,
    string? LastError)
{
    public static FillCursor Start(long version, IReadOnlyList<FillItem> unpin) => new(version, 0, 0, 0, 0, 0, [], unpin, null);
}

/// <summary>One object to fill: its path (as the CDN serves it) and size.</summary>
internal sealed record FillObject(string Path, long SizeBytes);
