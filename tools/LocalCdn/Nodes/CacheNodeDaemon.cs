namespace LocalCdn.Nodes;

/// <summary>
/// A cache daemon built on Cdn.Proxy's cache node (same configuration shape under its own section): which
/// project builds it, its assembly, and its configuration section.
/// </summary>
/// <param name="Project">Directory under src/.</param>
/// <param name="Assembly">The daemon's assembly name.</param>
/// <param name="Section">Its configuration section (<c>Edge</c>, <c>Shield</c>).</param>
public sealed record CacheNodeDaemon(string Project, string Assembly, string Section)
{
    /// <summary><c>edgenode</c>.</summary>
    public static CacheNodeDaemon Edge { get; } = new("EdgeNode", "edgenode", "Edge");

    /// <summary><c>originshield</c>.</summary>
    public static CacheNodeDaemon Shield { get; } = new("OriginShield", "originshield", "Shield");

    /// <summary>The built dll.</summary>
    public string Dll => DaemonBinary.Path(Project, Assembly);
}
