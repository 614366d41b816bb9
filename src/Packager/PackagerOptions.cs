using Cdn.Hosting.Configuration;

namespace Packager;

/// <summary>The packager daemon's own settings (configuration section <c>Packager</c>).</summary>
internal sealed class PackagerOptions : IValidatableOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Packager";

    /// <summary>The origin tree titles are published into (the shield or HTTP origin serves it). Relative paths are from the working directory.</summary>
    public string OriginRoot { get; set; } = "origin";

    /// <summary>Where http(s) sources are downloaded; default <c>&lt;OriginRoot&gt;/.packager/work</c>.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>The API listener (bearer-token authenticated, with /healthz, /readyz, /metrics).</summary>
    public EndpointOptions Listen { get; set; } = new() { Address = "127.0.0.1", Port = 8470 };

    /// <summary>Jobs run at once by this process. One ffmpeg already uses every core; raise it on big machines.</summary>
    public int Workers { get; set; } = 1;

    /// <summary>How long a claimed job stays reserved without a heartbeat; after that another worker takes it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running job renews its lease, reports progress and checks for cancellation.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often idle workers look for queued jobs (submissions to this process wake them at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Runs of a job cut short by crashes before it is failed (a source that kills the worker must not loop forever).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>When set, local sources must lie under one of these directories.</summary>
    public List<string> SourceRoots { get; set; } = [];

    /// <summary>Largest http(s) source downloaded.</summary>
    public long MaxDownloadBytes { get; set; } = 200L * 1024 * 1024 * 1024;

    /// <summary>The work directory in force.</summary>
    public string EffectiveWorkDirectory => Path.GetFullPath(WorkDirectory ?? Path.Combine(OriginRoot, ".packager", "work"));

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.NotEmpty(OriginRoot, OptionsErrors.Path(path, nameof(OriginRoot))))
        {
            var parent = Path.GetDirectoryName(Path.GetFullPath(OriginRoot));
            errors.Require(parent is null || Directory.Exists(parent), OptionsErrors.Path(path, nameof(OriginRoot)), $"parent directory '{parent}' does not exist");
        }

        Listen.Validate(OptionsErrors.Path(path, nameof(Listen)), errors);
        errors.InRange(Workers, 1, 64, OptionsErrors.Path(path, nameof(Workers)));
        errors.InRange(LeaseDuration, TimeSpan.FromSeconds(2), TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(LeaseDuration)));
        errors.InRange(HeartbeatInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), OptionsErrors.Path(path, nameof(HeartbeatInterval)));
        errors.Require(HeartbeatInterval * 2 < LeaseDuration, OptionsErrors.Path(path, nameof(HeartbeatInterval)), $"must be less than half of {nameof(LeaseDuration)} ({LeaseDuration}) so one late heartbeat does not lose the job");
        errors.InRange(PollInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(5), OptionsErrors.Path(path, nameof(PollInterval)));
        errors.InRange(MaxAttempts, 1, 100, OptionsErrors.Path(path, nameof(MaxAttempts)));
        errors.InRange(MaxDownloadBytes, 1024, long.MaxValue, OptionsErrors.Path(path, nameof(MaxDownloadBytes)));
        for (var i = 0; i < SourceRoots.Count; i++)
        {
            errors.Require(Path.IsPathRooted(SourceRoots[i]), OptionsErrors.Path(path, $"{nameof(SourceRoots)}:{i}"), $"'{SourceRoots[i]}' must be an absolute path");
        }
    }
}
