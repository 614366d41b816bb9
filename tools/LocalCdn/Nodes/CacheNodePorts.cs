namespace LocalCdn.Nodes;

/// <summary>The listeners' ports of a cache node (<see cref="Https"/> 0 when it serves no HTTPS).</summary>
/// <param name="Http">Cleartext (zero-copy) listener: what a child cache's parent entry points at.</param>
/// <param name="Https">HTTPS listener, for players.</param>
/// <param name="Admin">Admin listener: <c>/readyz</c>, <c>/metrics</c> (bearer token), purge.</param>
public sealed record CacheNodePorts(int Http, int Https, int Admin);
