namespace Cdn.Hosting;

/// <summary>What distinguishes one daemon's hosting from another's.</summary>
/// <param name="Name">Binary and unit name, e.g. <c>edgenode</c>.</param>
/// <param name="EnvironmentPrefix">Prefix of environment overrides, e.g. <c>EDGENODE_</c> (then <c>Section__Key</c>).</param>
/// <param name="DefaultConfigPath">The conffile read when present and no <c>--config</c> is given.</param>
public sealed record DaemonDescriptor(string Name, string EnvironmentPrefix, string DefaultConfigPath);
