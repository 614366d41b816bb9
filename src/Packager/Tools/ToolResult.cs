namespace Packager.Tools;

/// <summary>How a finished tool run ended: exit code, its standard output, and the tail of its standard error.</summary>
internal sealed record ToolResult(int ExitCode, string StdOut, string StdErrTail)
{
    /// <summary>
    /// The last lines of standard error (at most three, joined by "; "), or the exit code. ffmpeg often states the
    /// cause a line before its generic "Error initializing output stream", so one line is not enough.
    /// </summary>
    public string LastError
    {
        get
        {
            var lines = StdErrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length > 0 ? string.Join("; ", lines[Math.Max(0, lines.Length - 3)..]) : $"exit code {ExitCode}";
        }
    }
}
