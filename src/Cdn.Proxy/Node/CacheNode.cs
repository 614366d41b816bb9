using System.Security.Authentication;
using Cdn.Caching;
using Cdn.Hosting;
using Cdn.Hosting.Configuration;
using Cdn.Hosting.Health;
using Cdn.Hosting.Tls;
using Cdn.Proxy.Admin;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.FastPath;
using Cdn.Proxy.Keys;
using Cdn.Proxy.Security;
using Cdn.Proxy.Serving;
using Cdn.Proxy.Tls;
using Cdn.Proxy.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cdn.Proxy.Node;

/// <summary>
/// Wires a cache node — the edge and the shield are both one — onto a daemon builder: the engine, the HTTP
/// cache, upstreams, the listeners (zero-copy cleartext, Kestrel HTTPS, admin) and health.
/// </summary>
public static class CacheNode
{
    /// <summary>Kestrel listener name of the client-facing listeners served by Kestrel's HTTP stack.</summary>
    public const string PublicListener = "public";

    /// <summary>
    /// Binds and validates the node's settings at <paramref name="section"/> (every error reported at once) and
    /// registers the services. <paramref name="service"/> labels metrics ("edge", "shield").
    /// </summary>
    public static CacheNodeOptions AddCacheNode(this WebApplicationBuilder builder, string section, string service)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new CacheNodeOptions();
        var configuration = builder.Configuration.GetSection(section);
        configuration.Bind(options);
        options.ApplyDefaults();
        var errors = new OptionsErrors();
        UnknownSettings.Find(configuration, typeof(CacheNodeOptions), section, errors);
        options.Validate(section, errors);
        if (errors.HasErrors)
        {
            throw new OptionsValidationException(section, typeof(CacheNodeOptions), errors.Errors);
        }

        if (options.Listeners.InlineIo && !DaemonHost.IsCheckOnly(builder.Configuration))
        {
            InlineIo.Enable(builder.WebHost);
        }

        var services = builder.Services;
        services.AddSingleton(options);
        if (configuration.GetSection(nameof(CacheNodeOptions.ControlPlane)).Exists())
        {
            // The agent's own settings default to the node's identity.
            var agent = $"{section}:{nameof(CacheNodeOptions.ControlPlane)}";
            builder.Configuration[$"{agent}:NodeId"] ??= options.NodeName;
            builder.Configuration[$"{agent}:Site"] ??= options.Site;
            builder.Configuration[$"{agent}:Role"] ??= service == "shield" ? "Shield" : "Edge";
            services.AddSingleton<Cdn.NodeAgent.INodeReporter>(sp => new CacheNodeReporter(sp.GetRequiredService<CacheEngine>(),
                sp.GetRequiredService<HttpCache>(), sp.GetRequiredService<TimeProvider>()));
            Cdn.NodeAgent.NodeAgentServiceCollectionExtensions.AddNodeAgent(services, builder.Configuration, agent);
        }

        services.AddSingleton(_ => new ProxyMetrics(service));
        services.AddSingleton(sp => CacheEngine.Open(options.Cache, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            var pool = new UpstreamPool(options.Upstreams, sp.GetRequiredService<TimeProvider>());
            sp.GetRequiredService<ProxyMetrics>().ObserveUpstreams(pool);
            return pool;
        });
        if (options.Upstreams.EffectiveHealthCheck is not null)
        {
            services.AddHostedService(sp => new ActiveHealthChecker(sp.GetRequiredService<UpstreamPool>(), options.Upstreams,
                sp.GetRequiredService<ProxyMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Proxy.Upstream.Health")));
        }

        services.AddSingleton(sp => new UpstreamClient(sp.GetRequiredService<UpstreamPool>(), options.Upstreams, options.NodeName,
            sp.GetRequiredService<ProxyMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Proxy.Upstream")));
        services.AddSingleton(_ => new UrlSignature(options.SignedUrls));
        services.AddSingleton(_ => new RequestTargetParser(options.Policy.KeyQueryParameters, options.SignedUrls.Parameters));
        services.AddSingleton(sp => new HttpCache(sp.GetRequiredService<CacheEngine>(), sp.GetRequiredService<UpstreamClient>(), options.Policy,
            sp.GetRequiredService<UrlSignature>(), new HttpCacheIdentity(options.NodeName, service), sp.GetRequiredService<ProxyMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Proxy.HttpCache"))
        {
            UpstreamIdleTimeout = options.Upstreams.IdleTimeout,
        });
        services.AddHostedService(sp => new UpstreamReloadService(builder.Configuration, $"{section}:{nameof(CacheNodeOptions.Upstreams)}",
            sp.GetRequiredService<HttpCache>(), options.NodeName, sp.GetRequiredService<ProxyMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new HttpDateCache(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ResponseHeaders(options.Cors, sp.GetRequiredService<HttpDateCache>(), options.NodeName));
        services.AddSingleton(sp => new AccessLog(sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new FastPathServices(sp.GetRequiredService<HttpCache>(), sp.GetRequiredService<RequestTargetParser>(),
            sp.GetRequiredService<ResponseHeaders>(), sp.GetRequiredService<AccessLog>(), options.FastPath, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Proxy.FastPath")));
        services.AddSingleton<FastHttpConnectionHandler>();
        services.AddSingleton(sp => new KestrelCacheFrontEnd(sp.GetRequiredService<HttpCache>(), sp.GetRequiredService<RequestTargetParser>(),
            sp.GetRequiredService<ResponseHeaders>(), sp.GetRequiredService<AccessLog>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Proxy.Kestrel")));
        if (options.Listeners.Https is { } https)
        {
            services.AddSingleton(sp => new CertificateReloader(https.Tls, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Hosting.Tls")));
        }

        services.Configure<HostOptions>(h => h.ShutdownTimeout = options.DrainTimeout);
        services.AddHealthChecks()
            .AddDrainCheck()
            .Add(new HealthCheckRegistration("cache-volumes", sp => new DelegateHealthCheck(() =>
            {
                var stats = sp.GetRequiredService<CacheEngine>().GetStatistics();
                return stats.VolumesUp > 0
                    ? HealthCheckResult.Healthy($"{stats.VolumesUp}/{stats.VolumesTotal} volumes in service")
                    : HealthCheckResult.Unhealthy("no cache volume in service");
            }), HealthStatus.Unhealthy, [HealthTags.Ready]));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (DaemonHost.IsCheckOnly(builder.Configuration))
            {
                // --check-config binds nothing, and must not open the cache (the zero-copy handler's services
                // would): it only loads the certificate, so a bad certificate or key fails the check.
                if (options.Listeners.Https is not null)
                {
                    kestrel.ApplicationServices.GetRequiredService<CertificateReloader>();
                }

                return;
            }

            ConfigureKestrel(kestrel, options);
        });
        return options;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, CacheNodeOptions options)
    {
        var fast = options.FastPath;
        kestrel.Limits.MaxRequestHeadersTotalSize = fast.MaxRequestHeadBytes;
        kestrel.Limits.MaxRequestLineSize = fast.MaxRequestTargetBytes + 32;
        kestrel.Limits.MaxRequestHeaderCount = fast.MaxHeaderCount;
        kestrel.Limits.KeepAliveTimeout = fast.KeepAliveTimeout;
        kestrel.Limits.RequestHeadersTimeout = fast.RequestHeadersTimeout;
        kestrel.Limits.MaxRequestBodySize = fast.MaxRequestBodyBytes;
        kestrel.Limits.MinResponseDataRate = fast.MinResponseBytesPerSecond > 0 ? new MinDataRate(fast.MinResponseBytesPerSecond, fast.SendGracePeriod) : null;
        kestrel.Limits.Http2.MaxStreamsPerConnection = 256;

        if (options.Listeners.Http is { } http)
        {
            kestrel.Listen(http.Endpoint.EndPoint, listen =>
            {
                if (http.ZeroCopy)
                {
                    listen.UseConnectionHandler<FastHttpConnectionHandler>();
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listen.Named(PublicListener);
                }
            });
        }

        if (options.Listeners.Https is { } https)
        {
            kestrel.Listen(https.Endpoint.EndPoint, listen =>
            {
                var reloader = kestrel.ApplicationServices.GetRequiredService<CertificateReloader>();
                if (https.FastHttp1)
                {
                    // Kestrel sees only the connections that negotiated h2 (it would otherwise warn that HTTP/2 needs TLS).
                    listen.Protocols = HttpProtocols.Http2;
                    // Our TLS layer (its SslStream writes records straight to the socket; Kestrel's goes through the
                    // transport's output pipe), then by ALPN: h2 to Kestrel's HTTP/2 stack, everything else to the fast
                    // HTTP/1.1 engine, which skips Kestrel's per-request HTTP machinery.
                    var fast = kestrel.ApplicationServices.GetRequiredService<FastHttpConnectionHandler>();
                    var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Proxy.Tls");
                    listen.Use(next => new TlsTermination(next, fast, reloader, logger).OnConnectedAsync);
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificateSelector = (_, _) => reloader.Current,
                        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    });
                }

                listen.Named(PublicListener);
            });
        }

        kestrel.Listen(options.Listeners.Admin.EndPoint, listen => listen.Named(Hosting.Listeners.Admin));
    }

    /// <summary>
    /// Opens the cache (index recovery happens here, before the listeners bind and before READY=1) and maps
    /// the client-facing and admin pipelines. <paramref name="mapSecured"/> adds role-specific admin routes.
    /// </summary>
    public static void UseCacheNode(this WebApplication app, Action<Microsoft.AspNetCore.Routing.RouteGroupBuilder>? mapSecured = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (DaemonHost.IsCheckOnly(app.Configuration))
        {
            // --check-config (also systemd's ExecReload, beside the running daemon): the settings are validated by
            // now; opening the cache would recover, and at exit checkpoint, an index the running daemon owns.
            return;
        }

        var options = app.Services.GetRequiredService<CacheNodeOptions>();
        var engine = app.Services.GetRequiredService<CacheEngine>();
        var frontEnd = app.Services.GetRequiredService<KestrelCacheFrontEnd>();
        var parser = app.Services.GetRequiredService<RequestTargetParser>();
        app.MapListener(PublicListener, branch => branch.Run(frontEnd.InvokeAsync));
        app.UseAdminListener(options.Admin.Resolve, group =>
        {
            NodeAdminEndpoints.Map(group, engine, parser);
            mapSecured?.Invoke(group);
        });
    }
}
