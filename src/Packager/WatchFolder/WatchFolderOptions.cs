using Cdn.Hosting.Configuration;

namespace Packager.WatchFolder;

/// <summary>
/// A drop folder (configuration section <c>WatchFolder</c>): a video file copied into <see cref="Path"/> becomes
/// a job whose title id is the file name without extension. No path: no watch folder.
/// </summary>
internal sealed class WatchFolderOptions : IValidatableOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "WatchFolder";

    /// <summary>The folder watched (its <c>accepted/</c> and <c>rejected/</c> subfolders are the packager's).</summary>
    public string? Path { get; set; }

    /// <summary>Profile for jobs from the folder (default: Encoding:DefaultProfile).</summary>
    public string? Profile { get; set; }

    /// <summary>How often the folder is scanned.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A file must keep its size and modification time this long before it is taken (still being copied otherwise).</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>File extensions taken (others are left alone).</summary>
    public List<string> Extensions { get; set; } = [];

    /// <summary>The extensions in force.</summary>
    public IReadOnlyList<string> EffectiveExtensions
        => Extensions.Count > 0 ? Extensions : [".mp4", ".mov", ".mkv", ".mxf", ".m4v", ".ts", ".webm", ".avi"];

    /// <summary>True when a folder is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Path);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Enabled)
        {
            errors.Require(Directory.Exists(Path), OptionsErrors.Path(path, nameof(Path)), $"directory '{Path}' does not exist");
        }

        errors.InRange(PollInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(PollInterval)));
        errors.InRange(SettleTime, TimeSpan.Zero, TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(SettleTime)));
        for (var i = 0; i < Extensions.Count; i++)
        {
            errors.Require(Extensions[i].StartsWith('.') && Extensions[i].Length > 1, OptionsErrors.Path(path, $"{nameof(Extensions)}:{i}"), $"'{Extensions[i]}' must look like '.mp4'");
        }
    }
}
