namespace Cdn.ControlPlane.Cli.Doctor;

/// <summary>How a turn-up check came out.</summary>
internal enum DoctorStatus
{
    Pass,
    Warn,
    Fail,

    /// <summary>Not run: it needs something an earlier check found missing.</summary>
    Skip,
}

/// <summary>One turn-up check: what was checked, what was found, and how to fix it when it failed.</summary>
internal sealed record DoctorCheck(string Name, DoctorStatus Status, string Detail, string? Fix = null);

/// <summary>All checks of one <c>edgectl doctor</c> run.</summary>
internal sealed record DoctorReport(string ConfigPath, IReadOnlyList<DoctorCheck> Checks)
{
    /// <summary>No check failed (warnings and skips allowed).</summary>
    public bool Passed => Checks.All(c => c.Status != DoctorStatus.Fail);
}
