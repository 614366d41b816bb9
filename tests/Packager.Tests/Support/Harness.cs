using Microsoft.Extensions.Logging.Abstractions;
using Packager.Encoding;
using Packager.Ladder;
using Packager.Packaging;
using Packager.Probing;
using Packager.Publishing;

namespace Packager.Tests.Support;

/// <summary>The packaging pipeline and publisher wired to the real ffmpeg, as the daemon and the CLI wire them.</summary>
internal static class Harness
{
    public static EncodingOptions Encoding(Action<EncodingOptions>? configure = null)
    {
        var options = new EncodingOptions { Ffmpeg = MediaTools.Ffmpeg, Ffprobe = MediaTools.Ffprobe, SoftwarePreset = "ultrafast" };
        options.Thumbnails.Interval = TimeSpan.FromSeconds(1);
        options.Thumbnails.Columns = 3;
        options.Thumbnails.Rows = 2;
        configure?.Invoke(options);
        return options;
    }

    public static PackagingPipeline Pipeline(EncodingOptions options)
        => new(
            new MediaProber(() => options),
            new EncoderSelector(new FfmpegCapabilities(() => options), NullLogger<EncoderSelector>.Instance),
            () => options,
            TimeProvider.System,
            NullLogger<PackagingPipeline>.Instance);

    /// <summary>Packages <paramref name="source"/> as <paramref name="title"/> into <paramref name="originRoot"/> and publishes it.</summary>
    public static async Task<PackageResult> PackageAndPublishAsync(string source, string title, string originRoot, EncodingOptions? options = null, ProfileOptions? profile = null)
    {
        options ??= Encoding();
        var publisher = new OriginPublisher(originRoot, NullLogger.Instance);
        var jobId = "test-" + Guid.NewGuid().ToString("N")[..8];
        var staging = publisher.StagingDirectory(jobId);
        try
        {
            var result = await Pipeline(options).RunAsync(new PackageRequest(title, source, profile ?? options.FindProfile(null)!, null), staging, (_, _) => { }, CancellationToken.None);
            publisher.Publish(staging, title, jobId);
            return result;
        }
        finally
        {
            OriginPublisher.Discard(staging);
        }
    }
}
