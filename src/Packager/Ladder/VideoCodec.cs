namespace Packager.Ladder;

/// <summary>The video codec a profile asks for.</summary>
internal enum VideoCodec
{
    /// <summary>H.264/AVC: plays everywhere, including hls.js in Chromium.</summary>
    H264,

    /// <summary>H.265/HEVC: smaller, but hls.js in Chromium cannot play it.</summary>
    Hevc,
}
