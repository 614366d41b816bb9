namespace Cdn.ControlPlane.Cli;

/// <summary>What edgectl's exit status means (also in README.md and <c>edgectl --help</c>).</summary>
internal static class ExitCodes
{
    /// <summary>Done; for checks, all passed.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and the answer is "no": a check failed, a file is invalid.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or options, a missing file; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The control plane could not be reached (or did not answer in time).</summary>
    public const int Unreachable = 3;

    /// <summary>The control plane rejected the token.</summary>
    public const int Unauthorized = 4;

    /// <summary>What was named (node, site, plan, purge) does not exist.</summary>
    public const int NotFound = 5;

    /// <summary>The control plane refused the request (invalid, conflicting, not configured).</summary>
    public const int Rejected = 6;

    /// <summary>Waited for completion (purge, fill) and the time ran out first.</summary>
    public const int TimedOut = 7;

    public const string Help = "Exit codes: 0 ok, 1 check failed, 2 usage error, 3 control plane unreachable, 4 token rejected, 5 not found, 6 request rejected, 7 timed out waiting.";
}
