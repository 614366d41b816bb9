namespace Cdn.Proxy.Serving;

/// <summary>Receives response headers; implemented as a struct per front end so the renderer's calls devirtualize.</summary>
public interface IHeaderSink
{
    /// <summary>Adds one header.</summary>
    void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    /// <summary>Adds header lines already rendered as <c>Name: value\r\n</c>.</summary>
    void AddRaw(ReadOnlySpan<byte> lines);
}
