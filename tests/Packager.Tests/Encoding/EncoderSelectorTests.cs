using Microsoft.Extensions.Logging.Abstractions;
using Packager.Encoding;
using Packager.Ladder;
using Packager.Tests.Support;

namespace Packager.Tests.Encoding;

public sealed class EncoderSelectorTests
{
    private sealed class FakeCapabilities(string[] encoders, string? probeError) : IFfmpegCapabilities
    {
        public List<string> Probed { get; } = [];

        public Task<IReadOnlySet<string>> ListEncodersAsync(CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlySet<string>>(encoders.ToHashSet());

        public Task<string?> TryProbeEncodeAsync(string encoder, CancellationToken cancellationToken)
        {
            Probed.Add(encoder);
            return Task.FromResult(probeError);
        }
    }

    private static Task<EncoderChoice> Select(FakeCapabilities caps, VideoCodec codec = VideoCodec.H264, HardwareEncoding hardware = HardwareEncoding.Auto)
        => new EncoderSelector(caps, NullLogger<EncoderSelector>.Instance).SelectAsync(codec, hardware, CancellationToken.None);

    [Fact]
    public async Task Nvenc_is_chosen_when_listed_and_the_probe_encode_succeeds()
    {
        var caps = new FakeCapabilities(["libx264", "h264_nvenc"], probeError: null);
        var choice = await Select(caps);
        Assert.Equal(new EncoderChoice("h264_nvenc", true, "h264_nvenc is listed and a one-second probe encode succeeded"), choice);
        Assert.Equal(["h264_nvenc"], caps.Probed);
    }

    [Fact]
    public async Task Hevc_profiles_use_hevc_nvenc_when_it_works()
        => Assert.Equal("hevc_nvenc", (await Select(new FakeCapabilities(["libx265", "hevc_nvenc"], null), VideoCodec.Hevc)).Encoder);

    [Fact]
    public async Task A_listed_nvenc_whose_probe_fails_falls_back_to_libx264_with_the_reason()
    {
        var choice = await Select(new FakeCapabilities(["libx264", "h264_nvenc"], "Cannot load libcuda.so.1"));
        Assert.Equal("libx264", choice.Encoder);
        Assert.False(choice.Hardware);
        Assert.Equal("software encoder libx264: h264_nvenc is listed but a one-second probe encode failed: Cannot load libcuda.so.1", choice.Reason);
    }

    [Fact]
    public async Task An_unlisted_nvenc_is_not_probed()
    {
        var caps = new FakeCapabilities(["libx264"], null);
        var choice = await Select(caps);
        Assert.Equal(("libx264", "software encoder libx264: ffmpeg does not list h264_nvenc"), (choice.Encoder, choice.Reason));
        Assert.Empty(caps.Probed);
    }

    [Fact]
    public async Task Hardware_never_skips_the_gpu_even_when_it_works()
    {
        var caps = new FakeCapabilities(["libx264", "h264_nvenc"], null);
        var choice = await Select(caps, hardware: HardwareEncoding.Never);
        Assert.Equal("libx264", choice.Encoder);
        Assert.Contains("Encoding:Hardware=Never", choice.Reason, StringComparison.Ordinal);
        Assert.Empty(caps.Probed);
    }

    [Fact]
    public async Task Hevc_falls_back_to_libx265()
        => Assert.Equal("libx265", (await Select(new FakeCapabilities(["libx265", "hevc_nvenc"], "no device"), VideoCodec.Hevc)).Encoder);

    [Fact]
    public async Task No_usable_encoder_at_all_is_an_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Select(new FakeCapabilities(["mpeg4"], null)));
        Assert.Contains("does not list libx264", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_decision_is_made_once_per_codec()
    {
        var caps = new FakeCapabilities(["libx264", "h264_nvenc"], "busy");
        var selector = new EncoderSelector(caps, NullLogger<EncoderSelector>.Instance);
        await selector.SelectAsync(VideoCodec.H264, HardwareEncoding.Auto, CancellationToken.None);
        await selector.SelectAsync(VideoCodec.H264, HardwareEncoding.Auto, CancellationToken.None);
        Assert.Single(caps.Probed);
    }

    [Fact]
    public async Task With_the_real_ffmpeg_the_chosen_encoder_actually_encodes_here()
    {
        var options = Harness.Encoding();
        var real = new FfmpegCapabilities(() => options);
        var choice = await new EncoderSelector(real, NullLogger<EncoderSelector>.Instance).SelectAsync(VideoCodec.H264, HardwareEncoding.Auto, CancellationToken.None);

        Assert.Null(await real.TryProbeEncodeAsync(choice.Encoder, CancellationToken.None));
        Assert.Contains("libx264", await real.ListEncodersAsync(CancellationToken.None));
        if (!choice.Hardware)
        {
            // No GPU on this machine: the fallback must say why NVENC was not used.
            Assert.Equal("libx264", choice.Encoder);
            Assert.Contains("h264_nvenc", choice.Reason, StringComparison.Ordinal);
        }
    }
}
