namespace Packager.Ladder;

/// <summary>One planned video rendition: the output picture size and rates.</summary>
/// <param name="Name">Directory name under the title, e.g. <c>720p</c>.</param>
/// <param name="Width">Output width (even).</param>
/// <param name="Height">Output height (even).</param>
/// <param name="BitrateKbps">Target average rate.</param>
/// <param name="MaxBitrateKbps">VBV peak rate.</param>
internal sealed record Rendition(string Name, int Width, int Height, int BitrateKbps, int MaxBitrateKbps)
{
    /// <summary>VBV buffer: two seconds at the peak rate (smooth enough for 4 s segments).</summary>
    public int BufferKbits => MaxBitrateKbps * 2;
}
