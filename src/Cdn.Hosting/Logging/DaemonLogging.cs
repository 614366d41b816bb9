using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Cdn.Hosting.Logging;

/// <summary>
/// Console logging in the shape the environment wants: systemd's format (priority prefixes, no timestamps,
/// journald adds them) under a unit, JSON lines when asked (<c>Logging:Format=json</c>), else one line per
/// event with a UTC timestamp.
/// </summary>
public static class DaemonLogging
{
    /// <summary>Replaces the logging providers with the configured console format.</summary>
    public static void Configure(ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        var format = configuration["Logging:Format"] ?? "auto";
        if (format == "auto")
        {
            var underSystemd = Environment.GetEnvironmentVariable("INVOCATION_ID") is not null
                || Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null;
            format = underSystemd ? "systemd" : "simple";
        }

        switch (format)
        {
            case "systemd":
                logging.AddSystemdConsole(o => o.IncludeScopes = false);
                break;
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                });
                break;
            default:
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    o.ColorBehavior = LoggerColorBehavior.Disabled;
                });
                break;
        }
    }
}
