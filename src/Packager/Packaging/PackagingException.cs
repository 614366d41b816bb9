namespace Packager.Packaging;

/// <summary>Packaging failed for a reason that is not the source's fault (ffmpeg crashed, disk full…); the message says which.</summary>
internal sealed class PackagingException : Exception
{
    public PackagingException(string message)
        : base(message)
    {
    }

    public PackagingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
