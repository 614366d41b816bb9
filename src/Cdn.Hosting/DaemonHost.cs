using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Cdn.Hosting.Health;
using Cdn.Hosting.Logging;
using Cdn.Hosting.Metrics;
using Cdn.Hosting.Systemd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cdn.Hosting;

/// <summary>
/// The shared start-up of every daemon: configuration sources (conffile, <c>--config</c>, environment,
/// command line), logging, systemd notify, metrics, health, SIGHUP reload, and an exit code that tells an
/// operator what went wrong (78 = configuration error, as sysexits' EX_CONFIG).
/// </summary>
public static class DaemonHost
{
    /// <summary>Exit code for configuration errors (EX_CONFIG); the units set RestartPreventExitStatus on it.</summary>
    public const int ConfigurationErrorExitCode = 78;

    /// <summary>Configuration key set to <c>true</c> while the daemon only checks its configuration.</summary>
    public const string CheckOnlyKey = "Daemon:CheckOnly";

    /// <summary>
    /// True when the daemon runs for <c>--check-config</c>: the build must validate settings but touch no state
    /// (systemd's ExecReload runs the check beside the running daemon, which owns its index and databases).
    /// </summary>
    public static bool IsCheckOnly(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.Equals(configuration[CheckOnlyKey], "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Creates a builder with the house configuration, logging and shared services.</summary>
    /// <exception cref="DaemonConfigurationException">The configuration file is missing or not valid JSON.</exception>
    public static WebApplicationBuilder CreateBuilder(DaemonDescriptor daemon, string[] args)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var (configPath, rest) = SplitConfigArgument(args);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = rest,
            ApplicationName = daemon.Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Configuration.Sources.Clear();
        var path = configPath ?? daemon.DefaultConfigPath;
        if (configPath is not null && !File.Exists(configPath))
        {
            throw new DaemonConfigurationException($"configuration file '{configPath}' does not exist");
        }

        if (File.Exists(path))
        {
            // Watch the file's own directory only: for a missing path the default provider walks up to the
            // nearest existing directory (possibly /) and watches it recursively.
            var full = Path.GetFullPath(path);
            try
            {
                builder.Configuration.AddJsonFile(new PhysicalFileProvider(Path.GetDirectoryName(full)!), Path.GetFileName(full), optional: false, reloadOnChange: true);
            }
            catch (InvalidDataException ex)
            {
                throw new DaemonConfigurationException($"configuration file '{path}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
            }
        }

        builder.Configuration.AddEnvironmentVariables(daemon.EnvironmentPrefix);
        builder.Configuration.AddCommandLine(rest);
        builder.Configuration["Daemon:ConfigPath"] = File.Exists(path) ? Path.GetFullPath(path) : "";

        DaemonLogging.Configure(builder.Logging, builder.Configuration);

        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SystemdNotifier>();
        builder.Services.AddHostedService<SystemdNotifyService>();
        builder.Services.AddSingleton<DrainState>();
        builder.Services.AddSingleton(new ProcessMetrics());
        builder.Services.AddSingleton(_ => new PrometheusExporter(IncludeMeter));
        builder.Services.AddHostedService<MetricsStartup>();
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Meters exported on <c>/metrics</c>: ours (<c>Cdn.*</c>) and Kestrel's connection counts.</summary>
    public static bool IncludeMeter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return meter.Name.StartsWith("Cdn.", StringComparison.Ordinal)
            || meter.Name == "Microsoft.AspNetCore.Server.Kestrel";
    }

    /// <summary>
    /// Builds and runs a daemon, turning configuration and validation failures into a clear message on
    /// stderr and exit code 78. With <c>--check-config</c> it validates and exits, like <c>nginx -t</c>.
    /// </summary>
    public static async Task<int> RunAsync(DaemonDescriptor daemon, string[] args, Func<WebApplicationBuilder, WebApplication> build)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(build);
        var checkOnly = args.Contains("--check-config");
        args = args.Where(a => a != "--check-config").ToArray();
        WebApplication app;
        try
        {
            var builder = CreateBuilder(daemon, args);
            if (checkOnly)
            {
                builder.Configuration[CheckOnlyKey] = "true";
            }

            app = build(builder);
        }
        catch (Exception ex) when (ex is DaemonConfigurationException or OptionsValidationException or InvalidOperationException or FormatException)
        {
            return ReportConfigurationError(daemon, ex);
        }

        await using (app)
        {
            if (checkOnly)
            {
                try
                {
                    app.Services.GetRequiredService<IStartupValidator>().Validate();
                }
                catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or AggregateException)
                {
                    return ReportConfigurationError(daemon, ex);
                }

                await Console.Out.WriteLineAsync($"{daemon.Name}: configuration OK");
                return 0;
            }

            var notifier = app.Services.GetRequiredService<SystemdNotifier>();
            using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true; // SIGHUP means reload, never exit
                HostingLog.SighupReload(app.Logger);
                SafeNotify(notifier, "RELOADING=1");
                ((IConfigurationRoot)app.Configuration).Reload();
                SafeNotify(notifier, "READY=1");
            });

            try
            {
                await app.RunAsync();
                return 0;
            }
            catch (Exception ex) when (ex is OptionsValidationException or AggregateException { InnerException: OptionsValidationException })
            {
                return ReportConfigurationError(daemon, ex);
            }
            catch (IOException ex) when (ex.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync($"{daemon.Name}: cannot listen: {ex.Message}");
                return 1;
            }
        }
    }

    private static void SafeNotify(SystemdNotifier notifier, string state)
    {
        try
        {
            notifier.Notify(state);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Logged by the notify service on its own sends; a reload must not fail over this.
        }
    }

    private static int ReportConfigurationError(DaemonDescriptor daemon, Exception ex)
    {
        var failures = ex switch
        {
            OptionsValidationException v => v.Failures,
            AggregateException { InnerExceptions: var inner } => inner.SelectMany(i => i is OptionsValidationException v ? v.Failures : [i.Message]),
            _ => [ex.Message],
        };
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"{daemon.Name}: configuration error: {failure}");
        }

        return ConfigurationErrorExitCode;
    }

    private static (string? ConfigPath, string[] Remaining) SplitConfigArgument(string[] args)
    {
        string? config = null;
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--config" or "-c")
            {
                if (i + 1 >= args.Length)
                {
                    throw new DaemonConfigurationException("--config needs a file path");
                }

                config = Path.GetFullPath(args[++i]);
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                config = Path.GetFullPath(args[i]["--config=".Length..]);
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (config, rest.ToArray());
    }
}

/// <summary>The daemon's configuration cannot be read.</summary>
public sealed class DaemonConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DaemonConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
