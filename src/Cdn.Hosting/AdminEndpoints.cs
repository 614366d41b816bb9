using System.Text;
using Cdn.Hosting.Health;
using Cdn.Hosting.Metrics;
using Cdn.Hosting.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Cdn.Hosting;

/// <summary>
/// The admin listener every daemon has: <c>/healthz</c> and <c>/readyz</c> without auth (probes and load
/// balancers), <c>/metrics</c> and the daemon's own admin routes behind bearer tokens.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>
    /// Serves the admin pipeline on connections of the <see cref="Listeners.Admin"/> listener.
    /// <paramref name="mapSecured"/> adds the daemon's authenticated routes to the group it is given.
    /// </summary>
    public static void UseAdminListener(this IApplicationBuilder app, Func<IReadOnlyList<string>> tokens, Action<RouteGroupBuilder>? mapSecured = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapListener(Listeners.Admin, branch =>
        {
            branch.UseRouting();
            branch.UseEndpoints(endpoints => MapAdmin(endpoints, tokens, mapSecured));
        });
    }

    /// <summary>Maps the admin routes on <paramref name="endpoints"/> (for daemons whose main API is the admin API).</summary>
    public static RouteGroupBuilder MapAdmin(IEndpointRouteBuilder endpoints, Func<IReadOnlyList<string>> tokens, Action<RouteGroupBuilder>? mapSecured = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(HealthTags.Ready),
            ResponseWriter = WriteReadiness,
        });

        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Hosting.Admin");
        var secured = endpoints.MapGroup("").AddEndpointFilter(new BearerTokenFilter(tokens, logger));
        secured.MapGet("/metrics", (PrometheusExporter exporter, HttpContext context) =>
        {
            context.Response.ContentType = PrometheusExporter.ContentType;
            exporter.WriteTo(context.Response.BodyWriter);
            return Task.CompletedTask;
        });
        mapSecured?.Invoke(secured);
        return secured;
    }

    /// <summary>Registers the drain state as a readiness check (503 while draining).</summary>
    public static IHealthChecksBuilder AddDrainCheck(this IHealthChecksBuilder builder)
        => builder.Add(new HealthCheckRegistration(
            "drain",
            sp => new DelegateHealthCheck(() => sp.GetRequiredService<DrainState>().IsDraining
                ? HealthCheckResult.Unhealthy("draining")
                : HealthCheckResult.Healthy()),
            HealthStatus.Unhealthy,
            [HealthTags.Ready]));

    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = new StringBuilder(report.Status == HealthStatus.Healthy ? "ready\n" : "not ready\n");
        foreach (var (name, entry) in report.Entries)
        {
            text.Append(name).Append(": ").Append(entry.Status.ToString().ToLowerInvariant());
            if (!string.IsNullOrEmpty(entry.Description))
            {
                text.Append(" (").Append(entry.Description).Append(')');
            }

            text.Append('\n');
        }

        return context.Response.WriteAsync(text.ToString());
    }
}
