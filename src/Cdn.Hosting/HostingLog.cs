using Microsoft.Extensions.Logging;

namespace Cdn.Hosting;

/// <summary>Log events of the daemon plumbing: event ids 1000–1099.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1000, LogLevel.Information, "Configuration section {Path} reloaded")]
    public static partial void ConfigReloaded(ILogger logger, string path);

    [LoggerMessage(1001, LogLevel.Error, "Configuration section {Path} changed but is invalid; keeping the previous settings. Errors: {Errors}")]
    public static partial void ConfigReloadRejected(ILogger logger, string path, string errors);

    [LoggerMessage(1010, LogLevel.Information, "systemd notify: {State}")]
    public static partial void SystemdNotified(ILogger logger, string state);

    [LoggerMessage(1011, LogLevel.Warning, "systemd notify socket {Socket} failed: {Error}")]
    public static partial void SystemdNotifyFailed(ILogger logger, string socket, string error);

    [LoggerMessage(1012, LogLevel.Information, "systemd watchdog enabled, pinging every {Interval}")]
    public static partial void WatchdogEnabled(ILogger logger, TimeSpan interval);

    [LoggerMessage(1020, LogLevel.Information, "TLS certificate loaded from {CertificatePath} (subject {Subject}, expires {NotAfter:u})")]
    public static partial void CertificateLoaded(ILogger logger, string certificatePath, string subject, DateTime notAfter);

    [LoggerMessage(1021, LogLevel.Error, "TLS certificate {CertificatePath} changed but could not be loaded; keeping the previous certificate")]
    public static partial void CertificateReloadFailed(ILogger logger, Exception exception, string certificatePath);

    [LoggerMessage(1030, LogLevel.Information, "SIGHUP received: reloading configuration")]
    public static partial void SighupReload(ILogger logger);

    [LoggerMessage(1040, LogLevel.Warning, "Admin request to {Path} from {Remote} rejected: {Reason}")]
    public static partial void AdminAuthRejected(ILogger logger, string path, string? remote, string reason);
}
