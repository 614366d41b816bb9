using Cdn.Contracts;
using Cdn.ControlPlane.Api;
using Cdn.ControlPlane.Catalog;
using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Dns;
using Cdn.ControlPlane.Fill;
using Cdn.ControlPlane.Health;
using Cdn.ControlPlane.Popularity;
using Cdn.ControlPlane.Purge;
using Cdn.ControlPlane.Registry;
using Cdn.ControlPlane.Stats;
using Cdn.ControlPlane.Steering;
using Cdn.ControlPlane.Storage;
using Cdn.Data;
using Cdn.Hosting;
using Cdn.Hosting.Configuration;
using Cdn.Hosting.Health;
using Cdn.Hosting.Security;
using Cdn.Hosting.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Cdn.ControlPlane;

/// <summary>The <c>controlplane</c> daemon: how its host is configured and built.</summary>
internal static class ControlPlaneDaemon
{
    public static readonly DaemonDescriptor Descriptor = new("controlplane", "CONTROLPLANE_", "/etc/edgenode/controlplane.json");

    /// <summary>Registers every module of the control plane.</summary>
    public static IServiceCollection AddControlPlane(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ApiOptions>(configuration, "Api");
        services.AddValidatedOptions<AdminTokenOptions>(configuration, "Auth");
        services.AddValidatedOptions<DatabaseOptions>(configuration, "Database");
        services.AddValidatedOptions<HealthOptions>(configuration, "Health");
        services.AddValidatedOptions<RegistryOptions>(configuration, "Registry");
        services.AddValidatedOptions<CoverageZoneOptions>(configuration, "CoverageZones");
        services.AddValidatedOptions<DnsOptions>(configuration, "Dns");
        services.AddValidatedOptions<PopularityOptions>(configuration, "Popularity");
        services.AddValidatedOptions<FillOptions>(configuration, "Fill");
        services.AddValidatedOptions<NodeAdminOptions>(configuration, "NodeAdmin");
        services.AddValidatedOptions<PurgeOptions>(configuration, "Purge");

        services.AddSingleton(sp => new StateDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddSingleton<IRegistryStore, SqlRegistryStore>();
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<SiteCatalog>();
        services.AddSingleton<ActiveCoverageZones>();
        services.AddSingleton<SteeringState>();
        services.AddSingleton<SteeringPublisher>();
        services.AddSingleton<ControlPlaneMetrics>();
        services.AddSingleton<StateRefreshService>();
        services.AddSingleton<DnsServerService>();
        services.AddSingleton<ICatalogStore, SqlCatalogStore>();
        services.AddSingleton<IPopularityStore, SqlPopularityStore>();
        services.AddSingleton<IFillStore, SqlFillStore>();
        services.AddSingleton<IPurgeStore, SqlPurgeStore>();
        services.AddSingleton<TitleCatalog>();
        services.AddSingleton<PopularityAggregator>();
        services.AddSingleton<FillPlanService>();
        services.AddSingleton<FillBackgroundService>();
        services.AddSingleton<NodeAdminClient>();
        services.AddSingleton<PurgeCoordinator>();
        services.AddSingleton<FleetStatsBuilder>();
        // Order matters: state is loaded and the first view published before DNS answers; the fill and purge
        // stores are ready before the API (started last by the host) takes requests.
        services.AddHostedService(sp => sp.GetRequiredService<StateRefreshService>());
        services.AddHostedService(sp => sp.GetRequiredService<DnsServerService>());
        services.AddHostedService(sp => sp.GetRequiredService<FillBackgroundService>());
        services.AddHostedService(sp => sp.GetRequiredService<PurgeCoordinator>());

        services.AddHealthChecks().AddDrainCheck().Add(new HealthCheckRegistration("state", sp => new DelegateHealthCheck(() =>
        {
            var refresh = sp.GetRequiredService<StateRefreshService>();
            var options = sp.GetRequiredService<LiveOptions<HealthOptions>>().Current;
            var time = sp.GetRequiredService<TimeProvider>();
            return refresh.LastRefresh is { } last && time.GetUtcNow() - last <= (options.RefreshInterval * 5) + TimeSpan.FromSeconds(5)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy(refresh.LastRefresh is null ? "state not loaded yet" : "state store unreachable");
        }), HealthStatus.Unhealthy, [HealthTags.Ready]));

        services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, CdnJson.Default));
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "EdgeNode control plane API",
                Version = "v1",
                Description = "Node registry and health, sites, coverage zones and GeoDNS route explanations, the catalog, fill plans and progress, purges and fleet statistics. Every route except /healthz and /readyz needs 'Authorization: Bearer <token>'.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A token from the Auth section (Tokens or TokenFile)." };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Builds the daemon from a builder made by <see cref="DaemonHost.CreateBuilder"/>.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddControlPlane(builder.Configuration);
        var api = new ApiOptions();
        builder.Configuration.GetSection("Api").Bind(api);
        CertificateReloader? certificates = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(api.Listen.EndPoint, listen =>
        {
            listen.Named(Listeners.Admin);
            if (api.Tls is { } tls)
            {
                certificates ??= new CertificateReloader(tls, TimeProvider.System, k.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.ControlPlane.Tls"));
                listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => certificates.Current);
            }
        }));

        var app = builder.Build();
        // Resolved per request, not here: resolving validates, and --check-config must see every section's errors.
        AdminEndpoints.MapAdmin(app, () => app.Services.GetRequiredService<LiveOptions<AdminTokenOptions>>().Current.Resolve(), secured =>
        {
            ControlPlaneApi.Map(secured);
            CatalogApi.Map(secured);
            FillApi.Map(secured);
            PurgeApi.Map(secured);
            StatsApi.Map(secured);
            secured.MapOpenApi(ControlPlaneRoutes.OpenApi);
        });
        return app;
    }
}
