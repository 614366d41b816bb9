namespace LocalCdn.External;

/// <summary>How a command ended and what it printed.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StdOut">Everything on stdout.</param>
/// <param name="StdErr">Everything on stderr.</param>
public sealed record CommandResult(int ExitCode, string StdOut, string StdErr);
