namespace Packager.Tools;

/// <summary>ffmpeg or ffprobe cannot be started (not installed, wrong path).</summary>
internal sealed class ToolMissingException : Exception
{
    public ToolMissingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
