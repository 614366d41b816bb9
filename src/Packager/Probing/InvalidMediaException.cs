namespace Packager.Probing;

/// <summary>
/// The source cannot be packaged (not a video, corrupt, truncated, no video stream, zero duration, missing).
/// The message is the reason shown to the operator; a job failing with it is not retried automatically.
/// </summary>
internal sealed class InvalidMediaException : Exception
{
    public InvalidMediaException(string message)
        : base(message)
    {
    }

    public InvalidMediaException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
