using Cdn.Hosting.Configuration;

namespace EdgeNode.Fill;

/// <summary>
/// The edge's fill agent (section <c>Fill</c> of edgenode.json). Runs when the section is there and the edge
/// reports to a control plane (<c>Edge:ControlPlane</c>), unless <see cref="Enabled"/> is false.
/// </summary>
internal sealed class FillAgentOptions : IValidatableOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The host players use (<c>video.cdn.example</c>): part of every cache key, so fills land where players look.</summary>
    public string Host { get; set; } = "";

    /// <summary>Where the plan and the cursor are kept, so a restart resumes where it stopped.</summary>
    public string StateDirectory { get; set; } = "data/fill";

    /// <summary>
    /// This edge's own fill rate cap in bytes per second (0: the plan's cap alone). The lower of the two
    /// applies; with neither the agent fills as fast as upstream allows, which is rarely what you want.
    /// </summary>
    public long RateCapBytesPerSecond { get; set; }

    /// <summary>Bytes the rate cap lets through at once after an idle spell (token bucket depth).</summary>
    public long BurstBytes { get; set; } = 256 * 1024;

    /// <summary>Objects fetched at once. One or two: fill is a trickle beside player traffic, never a second workload.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>How often the agent looks at the plan version, the window and player load while idle.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often progress is reported to the control plane.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a peer edge may take to answer (cache only) before the shields are asked.</summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause between passes over objects that failed (the window may still be open).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Filling pauses while players draw more than this (Gbit/s out of this edge; 0: never pause).</summary>
    public double PauseAboveGbps { get; set; }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Enabled)
        {
            return;
        }

        if (errors.NotEmpty(Host, OptionsErrors.Path(path, nameof(Host))) && (Host.Contains('/', StringComparison.Ordinal) || Host.Contains(':', StringComparison.Ordinal)))
        {
            errors.Add(OptionsErrors.Path(path, nameof(Host)), $"'{Host}' must be a bare host name (video.cdn.example), without scheme, port or path");
        }

        errors.NotEmpty(StateDirectory, OptionsErrors.Path(path, nameof(StateDirectory)));
        errors.InRange(RateCapBytesPerSecond, 0, 1L << 40, OptionsErrors.Path(path, nameof(RateCapBytesPerSecond)));
        errors.InRange(BurstBytes, 16 * 1024, 1L << 30, OptionsErrors.Path(path, nameof(BurstBytes)));
        errors.InRange(Concurrency, 1, 16, OptionsErrors.Path(path, nameof(Concurrency)));
        errors.InRange(CheckInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(CheckInterval)));
        errors.InRange(ReportInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(ReportInterval)));
        errors.InRange(PeerTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), OptionsErrors.Path(path, nameof(PeerTimeout)));
        errors.InRange(RetryDelay, TimeSpan.Zero, TimeSpan.FromHours(12), OptionsErrors.Path(path, nameof(RetryDelay)));
        errors.Require(PauseAboveGbps is >= 0 and <= 10_000, OptionsErrors.Path(path, nameof(PauseAboveGbps)), $"must be between 0 and 10000, got {PauseAboveGbps}");
    }
}
