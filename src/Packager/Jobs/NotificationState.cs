namespace Packager.Jobs;

/// <summary>Whether the control plane has been told about a published title.</summary>
internal enum NotificationState
{
    /// <summary>Nothing published yet.</summary>
    None,

    /// <summary>Published; the notification is being sent or retried.</summary>
    Pending,

    /// <summary>The control plane accepted it.</summary>
    Sent,

    /// <summary>No control plane is configured.</summary>
    Skipped,
}
