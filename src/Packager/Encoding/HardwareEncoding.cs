namespace Packager.Encoding;

/// <summary>Whether the packager may use a GPU encoder.</summary>
internal enum HardwareEncoding
{
    /// <summary>Use NVENC when ffmpeg lists it and a one-second probe encode succeeds; else software.</summary>
    Auto,

    /// <summary>Always use the software encoder (libx264/libx265).</summary>
    Never,
}
