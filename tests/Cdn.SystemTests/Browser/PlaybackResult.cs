using System.Globalization;
using System.Text;

namespace Cdn.SystemTests.Browser;

/// <summary>What a viewer got, as play.mjs measured it (its final <c>result</c> line), plus every event line.</summary>
public sealed class PlaybackResult
{
    /// <summary>Why the run stopped: <c>ended</c>, <c>timeout</c>, <c>fatal-error</c>, <c>page-crashed</c>, <c>browser-disconnected</c>, <c>harness-error</c>.</summary>
    public string Reason { get; init; } = "";

    /// <summary>The video element fired <c>ended</c>.</summary>
    public bool Ended { get; init; }

    /// <summary>The hard timeout stopped the run.</summary>
    public bool TimedOut { get; init; }

    /// <summary>Milliseconds from play() to the first <c>playing</c> event; null if playback never started.</summary>
    public double? StartupMs { get; init; }

    /// <summary>When <c>ended</c> fired, in ms since play().</summary>
    public double? EndedAtMs { get; init; }

    /// <summary>video.duration at the end (seconds).</summary>
    public double? Duration { get; init; }

    /// <summary>The playhead at the last tick (seconds).</summary>
    public double? LastCurrentTime { get; init; }

    /// <summary>Stalls after playback started: <c>waiting</c> (not seeking) or hls.js BUFFER_STALLED_ERROR.</summary>
    public int StallCount { get; init; }

    /// <summary>Total stalled time (ms).</summary>
    public double StalledMs { get; init; }

    /// <summary>Each stall.</summary>
    public IReadOnlyList<Stall> Stalls { get; init; } = [];

    /// <summary>The variants of the master playlist, as hls.js parsed them (index = hls.js level).</summary>
    public IReadOnlyList<Level> Levels { get; init; } = [];

    /// <summary>hls.js LEVEL_SWITCHED events, in order.</summary>
    public IReadOnlyList<LevelSwitch> LevelSwitches { get; init; } = [];

    /// <summary>Main (video) fragments loaded per level.</summary>
    public IReadOnlyDictionary<int, int> FragmentsPerLevel { get; init; } = new Dictionary<int, int>();

    /// <summary>Levels that had at least one main fragment loaded, ascending.</summary>
    public IReadOnlyList<int> LevelsWithFragments { get; init; } = [];

    /// <summary>Every fragment loaded (main and audio), in order.</summary>
    public IReadOnlyList<Fragment> Fragments { get; init; } = [];

    /// <summary>Fragment payload bytes loaded.</summary>
    public long BytesLoaded { get; init; }

    /// <summary>What the page's network saw (Chrome DevTools Protocol).</summary>
    public NetworkSummary Network { get; init; } = new();

    /// <summary>Throttle steps as applied.</summary>
    public IReadOnlyList<AppliedThrottle> Throttles { get; init; } = [];

    /// <summary>Errors from hls.js, the video element, the page and the harness.</summary>
    public IReadOnlyList<PlayerError> Errors { get; init; } = [];

    /// <summary>Frames the video element dropped / decoded.</summary>
    public long? DroppedFrames { get; init; }

    /// <summary>Frames decoded.</summary>
    public long? TotalFrames { get; init; }

    /// <summary>hls.js version.</summary>
    public string? HlsVersion { get; init; }

    /// <summary>Wall time of the whole run, Chromium start to result (ms).</summary>
    public double WallMs { get; init; }

    /// <summary>Every line the player printed, in order (set by <see cref="BrowserPlayer"/>).</summary>
    public IReadOnlyList<PlayerEvent> Events { get; set; } = [];

    /// <summary>The player's stderr (Chromium console errors, harness failures).</summary>
    public string StdErr { get; set; } = "";

    /// <summary>The hls.js level of the variant with this height (null if none).</summary>
    public int? LevelOfHeight(int height) => Levels.FirstOrDefault(l => l.Height == height)?.Index;

    /// <summary>Main (video) media fragments, not init segments, loaded after <paramref name="ms"/> since play().</summary>
    public IEnumerable<Fragment> MainFragmentsAfter(double ms) => Fragments.Where(f => f.Type == "main" && f.Sn >= 0 && f.T > ms);

    /// <summary>A few lines a failing assertion can print: the numbers, then every event.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"reason={Reason} ended={Ended} startupMs={StartupMs} stalls={StallCount} ({StalledMs} ms) ");
        sb.Append(CultureInfo.InvariantCulture, $"levels with fragments=[{string.Join(',', LevelsWithFragments)}] bytes={BytesLoaded} wallMs={WallMs}\n");
        foreach (var s in Stalls)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  stall at {s.At} ms for {s.Ms} ms ({s.Reason}, playhead {s.CurrentTime}, ended by {s.EndedBy})\n");
        }

        foreach (var e in Errors)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  error {e.Source} {e.Type} {e.Details} fatal={e.Fatal}: {e.Message} {e.Url}\n");
        }

        foreach (var f in Network.Failed)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  network failure {f.Url}{f.RequestId} status={f.Status} {f.Error} {f.CorsError}\n");
        }

        sb.Append("events:\n");
        foreach (var e in Events)
        {
            sb.Append("  ").Append(e).Append('\n');
        }

        if (StdErr.Length > 0)
        {
            sb.Append("player stderr:\n").Append(StdErr);
        }

        return sb.ToString();
    }

    /// <summary>A stall.</summary>
    public sealed record Stall(double At, double Ms, string Reason, double CurrentTime, string EndedBy);

    /// <summary>A variant as hls.js sees it.</summary>
    public sealed record Level(int Index, int Height, int Width, long Bitrate, long? AverageBitrate, string? Codecs);

    /// <summary>A LEVEL_SWITCHED event.</summary>
    public sealed record LevelSwitch(double T, int Level, int? Height, long? Bitrate);

    /// <summary>A loaded fragment: <c>main</c> (video) or <c>audio</c>; <c>Sn</c> -1 for an init segment.</summary>
    public sealed record Fragment(double T, string Type, int Level, int Sn, double Start, long Bytes, double? Ms);

    /// <summary>A throttle step when it was applied.</summary>
    public sealed record AppliedThrottle(double T, double CurrentTime, int? Kbit, int LatencyMs, string Spec);

    /// <summary>An error the player saw.</summary>
    public sealed record PlayerError(string Source, string? Type, string? Details, bool Fatal, string? Message, string? Url, int? Status, double? T);

    /// <summary>The page's requests as the browser's network stack saw them.</summary>
    public sealed record NetworkSummary
    {
        /// <summary>Requests sent.</summary>
        public int Requests { get; init; }

        /// <summary>Responses received.</summary>
        public int Responses { get; init; }

        /// <summary>Bytes received on the wire (headers and bodies).</summary>
        public long Bytes { get; init; }

        /// <summary>Responses per status code.</summary>
        public IReadOnlyDictionary<string, int> Statuses { get; init; } = new Dictionary<string, int>();

        /// <summary>Failed requests (HTTP status ≥ 400, network errors, CORS refusals).</summary>
        public IReadOnlyList<FailedRequest> Failed { get; init; } = [];
    }

    /// <summary>A failed request.</summary>
    public sealed record FailedRequest(string? Url, int? Status, string? RequestId, string? Error, string? BlockedReason, string? CorsError);
}
