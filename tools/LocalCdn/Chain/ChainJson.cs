using System.Text.Json;

namespace LocalCdn.Chain;

/// <summary>How the chain writes configuration files: indented, for people reading the state directory.</summary>
public static class ChainJson
{
    /// <summary>Indented output.</summary>
    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };
}
