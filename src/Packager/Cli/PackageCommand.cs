using System.CommandLine;
using System.Globalization;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Packager.Encoding;
using Packager.Jobs;
using Packager.Notification;
using Packager.Packaging;
using Packager.Probing;
using Packager.Publishing;
using Packager.Sources;
using Packager.Tools;

namespace Packager.Cli;

/// <summary>
/// <c>packager package --source &lt;file|url&gt; --title &lt;id&gt; --origin-root &lt;dir&gt; [--profile name]</c>: one job in the
/// foreground with progress on stderr, the same pipeline and atomic publish as the daemon, no job store.
/// Exit codes: 0 published, 1 packaging failed, 2 bad arguments, 78 bad configuration, 130 interrupted.
/// </summary>
internal static class PackageCommand
{
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    public static Command Create()
    {
        var source = new Option<string>("--source", "-s") { Description = "Source video: a local file or an http(s) URL", Required = true };
        var title = new Option<string>("--title", "-t") { Description = "Title id (letters, digits, '.', '_', '-'); the title's directory name", Required = true };
        var originRoot = new Option<string>("--origin-root", "-o") { Description = "Origin tree to publish into (created if missing)", Required = true };
        var profile = new Option<string?>("--profile", "-p") { Description = "Encoding profile (default: Encoding:DefaultProfile, the five-rung H.264 ladder)" };
        var releaseDate = new Option<string?>("--release-date") { Description = "Release date (ISO 8601) sent to the control plane" };
        var ts = new Option<bool>("--ts") { Description = "Also write the MPEG-TS variant (master_ts.m3u8)" };
        var config = new Option<string?>("--config", "-c") { Description = "Configuration file (default /etc/edgenode/packager.json when present) for Encoding and ControlPlane" };
        var command = new Command("package", "Package one source into CMAF HLS and publish it into an origin tree")
        {
            source, title, originRoot, profile, releaseDate, ts, config,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new Arguments(
                result.GetValue(source)!,
                result.GetValue(title)!,
                result.GetValue(originRoot)!,
                result.GetValue(profile),
                result.GetValue(releaseDate),
                result.GetValue(ts),
                result.GetValue(config)),
            Console.Out,
            Console.Error,
            cancellationToken));
        return command;
    }

    /// <summary>The parsed command line.</summary>
    internal sealed record Arguments(string Source, string Title, string OriginRoot, string? Profile, string? ReleaseDate, bool Ts, string? Config);

    internal static async Task<int> RunAsync(Arguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        // Configuration: the daemon's file (Encoding and ControlPlane sections) and PACKAGER_ environment overrides.
        var configPath = args.Config ?? "/etc/edgenode/packager.json";
        if (args.Config is not null && !File.Exists(args.Config))
        {
            await stderr.WriteLineAsync($"packager: configuration file '{args.Config}' does not exist");
            return Cdn.Hosting.DaemonHost.ConfigurationErrorExitCode;
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.GetFullPath(configPath), optional: args.Config is null, reloadOnChange: false)
                .AddEnvironmentVariables("PACKAGER_")
                .Build();
        }
        catch (InvalidDataException ex)
        {
            await stderr.WriteLineAsync($"packager: configuration file '{configPath}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}");
            return Cdn.Hosting.DaemonHost.ConfigurationErrorExitCode;
        }

        var encoding = new EncodingOptions();
        var controlPlane = new ControlPlaneOptions();
        var configErrors = new OptionsErrors();
        try
        {
            configuration.GetSection(EncodingOptions.Section).Bind(encoding);
            configuration.GetSection(ControlPlaneOptions.Section).Bind(controlPlane);
        }
        catch (InvalidOperationException ex)
        {
            configErrors.Add("", ex.Message);
        }

        encoding.TsVariant |= args.Ts;
        UnknownSettings.Find(configuration.GetSection(EncodingOptions.Section), typeof(EncodingOptions), EncodingOptions.Section, configErrors);
        UnknownSettings.Find(configuration.GetSection(ControlPlaneOptions.Section), typeof(ControlPlaneOptions), ControlPlaneOptions.Section, configErrors);
        encoding.Validate(EncodingOptions.Section, configErrors);
        controlPlane.Validate(ControlPlaneOptions.Section, configErrors);
        if (configErrors.HasErrors)
        {
            foreach (var error in configErrors.Errors)
            {
                await stderr.WriteLineAsync($"packager: configuration error: {error}");
            }

            return Cdn.Hosting.DaemonHost.ConfigurationErrorExitCode;
        }

        // Arguments.
        var usage = new List<string>();
        if (TitleId.Problem(args.Title) is { } titleProblem)
        {
            usage.Add($"--title: {titleProblem}");
        }

        var sourceRef = SourceReference.TryParse(
            args.Source.Contains("://", StringComparison.Ordinal) ? args.Source : Path.GetFullPath(args.Source),
            [],
            mustExist: true,
            out var sourceProblem);
        if (sourceProblem is not null)
        {
            usage.Add($"--source: {sourceProblem}");
        }

        var profile = encoding.FindProfile(args.Profile);
        if (profile is null)
        {
            usage.Add($"--profile: no profile named '{args.Profile}' (profiles: {string.Join(", ", encoding.EffectiveProfiles.Keys)})");
        }

        DateTimeOffset? releaseDate = null;
        if (args.ReleaseDate is not null)
        {
            if (DateTimeOffset.TryParse(args.ReleaseDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                releaseDate = parsed;
            }
            else
            {
                usage.Add($"--release-date: '{args.ReleaseDate}' is not an ISO 8601 date");
            }
        }

        var originRoot = Path.GetFullPath(args.OriginRoot);
        var originParent = Path.GetDirectoryName(originRoot);
        if (originParent is not null && !Directory.Exists(originParent))
        {
            usage.Add($"--origin-root: parent directory '{originParent}' does not exist");
        }

        if (usage.Count > 0)
        {
            foreach (var problem in usage)
            {
                await stderr.WriteLineAsync($"packager package: {problem}");
            }

            return Usage;
        }

        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter("System.Net.Http", LogLevel.Warning));
        Directory.CreateDirectory(originRoot);
        var publisher = new OriginPublisher(originRoot, loggerFactory.CreateLogger<OriginPublisher>());
        var jobId = "cli-" + Guid.NewGuid().ToString("N")[..12];
        var staging = publisher.StagingDirectory(jobId);
        var reporter = new ProgressReporter(stderr);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var sourcePath = sourceRef!.LocalPath;
            if (sourceRef.Url is { } url)
            {
                reporter.Report(Stage.Fetching, 0);
                var work = Path.Combine(originRoot, ".packager", "work", jobId);
                sourcePath = await new SourceFetcher(http).FetchAsync(url, work, long.MaxValue, f => reporter.Report(Stage.Fetching, f), cancellationToken);
            }

            var pipeline = new PackagingPipeline(
                new MediaProber(() => encoding),
                new EncoderSelector(new FfmpegCapabilities(() => encoding), loggerFactory.CreateLogger<EncoderSelector>()),
                () => encoding,
                TimeProvider.System,
                loggerFactory.CreateLogger<PackagingPipeline>());
            var result = await pipeline.RunAsync(new PackageRequest(args.Title, sourcePath!, profile!, releaseDate), staging, reporter.Report, cancellationToken);
            reporter.Report(Stage.Publishing, 0);
            var outcome = publisher.Publish(staging, args.Title, jobId);
            reporter.Report(Stage.Done, 1);

            await stdout.WriteLineAsync($"published {args.Title} to {publisher.TitleDirectory(args.Title)} ({outcome})");
            await stdout.WriteLineAsync($"encoder: {result.Encoder} ({result.EncoderReason})");
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"encode: {result.EncodeSeconds:0.0} s for {result.DurationSeconds:0.0} s of video ({result.RealtimeFactor:0.00}x real time)"));
            foreach (var r in result.Renditions)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {r.Name,-8} {(r.Kind == "video" ? $"{r.Width}x{r.Height}" : "audio"),-10} peak {r.PeakBandwidth / 1000,6} kb/s  avg {r.AverageBandwidth / 1000,6} kb/s  {r.Codecs}  {r.Segments} segments"));
            }

            await NotifyAsync(controlPlane, result, http, stdout, stderr, cancellationToken);
            return 0;
        }
        catch (Exception ex) when (ex is InvalidMediaException or PackagingException or ToolMissingException or IOException or InvalidOperationException or HttpRequestException)
        {
            await stderr.WriteLineAsync($"packager: {args.Title}: failed: {ex.Message}");
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"packager: {args.Title}: interrupted; nothing published");
            return Interrupted;
        }
        finally
        {
            OriginPublisher.Discard(staging);
            var work = Path.Combine(originRoot, ".packager", "work", jobId);
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task NotifyAsync(ControlPlaneOptions options, PackageResult result, HttpClient http, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            await stdout.WriteLineAsync("control plane: not configured (ControlPlane:Url); not notified");
            return;
        }

        var client = new ControlPlaneClient(http);
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var error = await client.NotifyAsync(options, result.ToTitlePublished(), cancellationToken);
            if (error is null)
            {
                await stdout.WriteLineAsync($"control plane: {options.Url} accepted {result.TitleId}");
                return;
            }

            if (attempt == Attempts)
            {
                // The title is published; the CLI reports the missed notification but does not fail the packaging.
                await stderr.WriteLineAsync($"packager: control plane did not accept {result.TitleId} after {Attempts} attempts: {error}");
                return;
            }

            await Task.Delay(Backoff.Delay(attempt, options.RetryDelay, options.MaxRetryDelay), cancellationToken);
        }
    }

    /// <summary>Progress lines on stderr: one per stage change and per whole percent.</summary>
    private sealed class ProgressReporter
    {
        private readonly TextWriter _out;
        private readonly Lock _lock = new();
        private Stage _stage = Stage.Queued;
        private int _percent = -1;

        public ProgressReporter(TextWriter output) => _out = output;

        public void Report(Stage stage, double fraction)
        {
            var percent = (int)StageProgress.Percent(stage, fraction);
            lock (_lock)
            {
                if (stage == _stage && percent == _percent)
                {
                    return;
                }

                _stage = stage;
                _percent = percent;
                _out.WriteLine($"[{stage.ToString().ToLowerInvariant()}] {percent}%");
            }
        }
    }
}
