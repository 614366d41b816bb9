namespace Packager.Tests.Support;

/// <summary>The external programs the system tests run for real; missing ones fail the test loudly.</summary>
internal static class MediaTools
{
    public static string Ffmpeg => ExternalTool.Require("ffmpeg", "ffmpeg");

    public static string Ffprobe => ExternalTool.Require("ffprobe", "ffmpeg");

    /// <summary>Runs ffmpeg/ffprobe and fails with its stderr when it fails.</summary>
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var (code, stdout, stderr) = await ExternalTool.RunAsync(tool, args, TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', args)} failed ({code}): {stderr}");
        }

        return stdout;
    }
}
