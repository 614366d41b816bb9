namespace Packager.Encoding;

/// <summary>What the installed ffmpeg can do on this machine (a seam so selection is testable without a GPU).</summary>
internal interface IFfmpegCapabilities
{
    /// <summary>Encoder names from <c>ffmpeg -encoders</c>.</summary>
    Task<IReadOnlySet<string>> ListEncodersAsync(CancellationToken cancellationToken);

    /// <summary>Encodes one second of a test pattern with <paramref name="encoder"/>; null on success, else the error.</summary>
    Task<string?> TryProbeEncodeAsync(string encoder, CancellationToken cancellationToken);
}
