namespace EdgeNode.Tests.Support;

/// <summary>
/// The test clock of end-to-end fill tests: the wall clock moved by an offset the test sets. Calendar time
/// (the fill window) jumps when the test moves it; timers and elapsed time stay real, so rate caps are
/// measured over real seconds.
/// </summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
