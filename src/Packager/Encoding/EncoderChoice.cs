namespace Packager.Encoding;

/// <summary>The video encoder a job uses and why (recorded in the job result and logged).</summary>
/// <param name="Encoder">ffmpeg encoder name, e.g. <c>libx264</c> or <c>h264_nvenc</c>.</param>
/// <param name="Hardware">True for a GPU encoder.</param>
/// <param name="Reason">Why this one, in words (e.g. why NVENC was not used).</param>
internal sealed record EncoderChoice(string Encoder, bool Hardware, string Reason);
