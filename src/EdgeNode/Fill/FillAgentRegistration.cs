using Cdn.Hosting.Configuration;
using Cdn.NodeAgent;
using Cdn.Proxy.Caching;
using Cdn.Proxy.Diagnostics;
using Cdn.Proxy.Keys;
using Cdn.Proxy.Node;
using Cdn.Proxy.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeNode.Fill;

/// <summary>Wires the fill agent into the edge daemon.</summary>
internal static class FillAgentRegistration
{
    public const string Section = "Fill";

    /// <summary>
    /// Validates the <c>Fill</c> section and, when there is one and the edge reports to a control plane, registers
    /// the agent (an edge without a <c>Fill</c> section serves and reports, but fills only on misses).
    /// </summary>
    public static void AddFillAgent(this WebApplicationBuilder builder, CacheNodeOptions node)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(node);
        var section = builder.Configuration.GetSection(Section);
        var options = new FillAgentOptions();
        section.Bind(options);
        var errors = new OptionsErrors();
        UnknownSettings.Find(section, typeof(FillAgentOptions), Section, errors);
        var active = section.Exists() && node.ControlPlane is not null;
        if (active)
        {
            options.Validate(Section, errors);
        }

        if (errors.HasErrors)
        {
            throw new OptionsValidationException(Section, typeof(FillAgentOptions), errors.Errors);
        }

        if (!active || !options.Enabled)
        {
            return;
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            // Fill traffic gets its own connections (a few) to the same upstream servers, sharing their health.
            var upstream = new UpstreamClient(sp.GetRequiredService<UpstreamPool>(), ForFill(node.Upstreams, options), node.NodeName,
                sp.GetRequiredService<ProxyMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Cdn.Fill.Upstream"));
            return new FillSources(upstream, node.NodeName, options);
        });
        services.AddSingleton(sp =>
        {
            var agent = sp.GetRequiredService<LiveOptions<NodeAgentOptions>>().Current;
            return new FillAgent(sp.GetRequiredService<HttpCache>(), sp.GetRequiredService<RequestTargetParser>(), sp.GetRequiredService<ControlPlaneClient>(),
                sp.GetRequiredService<NodeAgentStatus>(), agent.NodeId, agent.Site, options, sp.GetRequiredService<FillSources>(),
                new FillStateStore(options.StateDirectory), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FillAgent>>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<FillAgent>());
    }

    private static UpstreamOptions ForFill(UpstreamOptions node, FillAgentOptions fill) => new()
    {
        Parents = node.Parents,
        Origins = node.Origins,
        OriginSelection = node.OriginSelection,
        ConnectTimeout = node.ConnectTimeout,
        FirstByteTimeout = node.FirstByteTimeout,
        IdleTimeout = node.IdleTimeout,
        MaxConnectionsPerServer = fill.Concurrency,
        FailuresToMarkDown = node.FailuresToMarkDown,
        DownTime = node.DownTime,
        PreserveHost = node.PreserveHost,
    };
}
