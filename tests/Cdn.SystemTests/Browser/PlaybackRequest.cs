namespace Cdn.SystemTests.Browser;

/// <summary>What <see cref="BrowserPlayer.PlayAsync"/> plays and how.</summary>
public sealed class PlaybackRequest
{
    /// <summary>The HLS master playlist (an edge's HTTPS URL).</summary>
    public required Uri MasterPlaylist { get; init; }

    /// <summary>
    /// Base64 SHA-256 SubjectPublicKeyInfo hashes of the certificates Chromium accepts although no trusted CA
    /// issued them (<see cref="LocalCdn.Nodes.CacheNodeProcess.CertificateSpkiSha256"/> of each edge played from). Any
    /// other certificate error still fails the request.
    /// </summary>
    public IReadOnlyList<string> TrustedCertificateSpkis { get; init; } = [];

    /// <summary>
    /// Host names the browser resolves to the given IPv4 addresses (what GeoDNS answered), so the player asks for
    /// the CDN host name as a real player does; empty: the system resolver.
    /// </summary>
    public IReadOnlyDictionary<string, string> Resolve { get; init; } = new Dictionary<string, string>();

    /// <summary>The bandwidth schedule, by playhead position.</summary>
    public IReadOnlyList<ThrottleStep> Throttle { get; init; } = [];

    /// <summary>Hard limit for the whole playback (the player stops, reports and closes Chromium).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How often a <c>progress</c> event reports the playhead.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>hls.js settings as a JSON object (<c>{"maxBufferLength":20}</c>); null keeps hls.js's defaults.</summary>
    public string? HlsConfigJson { get; init; }
}
