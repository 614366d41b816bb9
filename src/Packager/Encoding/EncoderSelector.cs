using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Packager.Ladder;

namespace Packager.Encoding;

/// <summary>
/// Picks the video encoder: NVENC (h264_nvenc, or hevc_nvenc for HEVC profiles) when ffmpeg lists it and a
/// one-second probe encode succeeds, else libx264 (libx265). A listed NVENC encoder often cannot run (no GPU,
/// no driver, sessions exhausted), hence the probe. The answer is cached per codec for the process lifetime.
/// </summary>
internal sealed class EncoderSelector
{
    private readonly IFfmpegCapabilities _capabilities;
    private readonly ILogger<EncoderSelector> _logger;
    private readonly ConcurrentDictionary<(VideoCodec, HardwareEncoding), Lazy<Task<EncoderChoice>>> _cache = new();

    public EncoderSelector(IFfmpegCapabilities capabilities, ILogger<EncoderSelector> logger)
    {
        _capabilities = capabilities;
        _logger = logger;
    }

    /// <summary>The encoder for <paramref name="codec"/>; throws when ffmpeg has no usable encoder for it.</summary>
    public Task<EncoderChoice> SelectAsync(VideoCodec codec, HardwareEncoding hardware, CancellationToken cancellationToken)
    {
        var lazy = _cache.GetOrAdd((codec, hardware), key => new Lazy<Task<EncoderChoice>>(() => DecideAsync(key.Item1, key.Item2, CancellationToken.None)));
        var task = lazy.Value;
        if (task.IsFaulted)
        {
            _cache.TryRemove(new KeyValuePair<(VideoCodec, HardwareEncoding), Lazy<Task<EncoderChoice>>>((codec, hardware), lazy));
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<EncoderChoice> DecideAsync(VideoCodec codec, HardwareEncoding hardware, CancellationToken cancellationToken)
    {
        var (gpu, cpu) = codec == VideoCodec.Hevc ? ("hevc_nvenc", "libx265") : ("h264_nvenc", "libx264");
        var encoders = await _capabilities.ListEncodersAsync(cancellationToken);
        string reason;
        if (hardware == HardwareEncoding.Never)
        {
            reason = $"hardware encoding is disabled (Encoding:Hardware=Never)";
        }
        else if (!encoders.Contains(gpu))
        {
            reason = $"ffmpeg does not list {gpu}";
        }
        else if (await _capabilities.TryProbeEncodeAsync(gpu, cancellationToken) is { } error)
        {
            reason = $"{gpu} is listed but a one-second probe encode failed: {error}";
        }
        else
        {
            var hw = new EncoderChoice(gpu, true, $"{gpu} is listed and a one-second probe encode succeeded");
            EncodingLog.EncoderSelected(_logger, hw.Encoder, hw.Reason);
            return hw;
        }

        if (!encoders.Contains(cpu))
        {
            throw new InvalidOperationException($"ffmpeg has no usable {codec} encoder: {reason}, and it does not list {cpu}");
        }

        var sw = new EncoderChoice(cpu, false, $"software encoder {cpu}: {reason}");
        EncodingLog.EncoderSelected(_logger, sw.Encoder, sw.Reason);
        return sw;
    }
}
