using Packager.Jobs;

namespace Packager.Notification;

/// <summary>Wakes the notifier when a title was published (a type of its own so DI tells it from the job queue's signal).</summary>
internal sealed class NotificationSignal
{
    public WakeSignal Signal { get; } = new();
}
