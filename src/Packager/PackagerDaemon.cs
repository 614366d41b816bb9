using Cdn.Data;
using Cdn.Hosting;
using Cdn.Hosting.Configuration;
using Cdn.Hosting.Health;
using Cdn.Hosting.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Packager.Api;
using Packager.Encoding;
using Packager.Jobs;
using Packager.Notification;
using Packager.Packaging;
using Packager.Probing;
using Packager.Publishing;
using Packager.Sources;
using Packager.WatchFolder;

namespace Packager;

/// <summary>The packager daemon: configuration sections, services and the API listener.</summary>
internal static class PackagerDaemon
{
    /// <summary>Name, environment prefix and conffile.</summary>
    public static readonly DaemonDescriptor Descriptor = new("packager", "PACKAGER_", "/etc/edgenode/packager.json");

    /// <summary>Registers everything and builds the app (also used by the in-process tests).</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddPackager(builder.Services, builder.Configuration);
        var listen = new PackagerOptions().Listen; // the defaults (127.0.0.1:8470) for whatever is not configured
        builder.Configuration.GetSection($"{PackagerOptions.Section}:{nameof(PackagerOptions.Listen)}").Bind(listen);
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen.EndPoint, o => o.Named(Listeners.Admin)));

        var app = builder.Build();
        // The exporter listens from its creation on: create it now, not at the first scrape, so counters and
        // histograms recorded before that scrape (a job finished early) are not lost.
        app.Services.GetRequiredService<Cdn.Hosting.Metrics.PrometheusExporter>();
        // Resolved per request, not here: a missing token must be reported with every other error by the start-up validation.
        app.UseAdminListener(() => app.Services.GetRequiredService<LiveOptions<AdminTokenOptions>>().Current.Resolve(), JobsApi.Map);
        return app;
    }

    /// <summary>The packager's services: options, job store, pipeline, workers, notifier, watch folder.</summary>
    public static void AddPackager(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PackagerOptions>(configuration, PackagerOptions.Section);
        services.AddValidatedOptions<EncodingOptions>(configuration, EncodingOptions.Section);
        services.AddValidatedOptions<ControlPlaneOptions>(configuration, ControlPlaneOptions.Section);
        services.AddValidatedOptions<WatchFolderOptions>(configuration, WatchFolderOptions.Section);
        services.AddValidatedOptions<DatabaseOptions>(configuration, "Database");
        services.AddValidatedOptions<AdminTokenOptions>(configuration, "Admin");
        services.AddHealthChecks().AddDrainCheck().Add(new HealthCheckRegistration(
            "jobstore",
            sp => new DelegateHealthCheck(() => sp.GetRequiredService<JobStoreInitializer>().IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("job store not ready")),
            HealthStatus.Unhealthy,
            [HealthTags.Ready]));
        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PackagerJson.Default));

        services.AddSingleton(sp => new StateDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<QueueSignal>();
        services.AddSingleton<NotificationSignal>();
        services.AddSingleton<Func<EncodingOptions>>(sp =>
        {
            var live = sp.GetRequiredService<LiveOptions<EncodingOptions>>();
            return () => live.Current;
        });
        services.AddSingleton<IFfmpegCapabilities, FfmpegCapabilities>();
        services.AddSingleton<EncoderSelector>();
        services.AddSingleton<MediaProber>();
        services.AddSingleton<PackagingPipeline>();
        services.AddSingleton(sp => new OriginPublisher(
            sp.GetRequiredService<IOptions<PackagerOptions>>().Value.OriginRoot,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<OriginPublisher>()));
        services.AddHttpClient<SourceFetcher>(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient<ControlPlaneClient>(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<JobRunner>();

        // Order matters: the origin and the store are ready before the workers claim.
        services.AddHostedService<OriginRootPreparer>();
        services.AddSingleton<JobStoreInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<JobStoreInitializer>());
        services.AddSingleton<JobWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
        services.AddSingleton<NotificationService>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationService>());
        services.AddSingleton<WatchFolderService>();
        services.AddHostedService(sp => sp.GetRequiredService<WatchFolderService>());
    }
}
