using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cdn.NodeAgent;

/// <summary>Wires the node agent into an edge or shield daemon.</summary>
public static class NodeAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds the control-plane client and the registering/heartbeating hosted service, with settings from
    /// <paramref name="path"/> (default <c>ControlPlane</c>). The daemon must register an <see cref="INodeReporter"/>.
    /// </summary>
    public static IServiceCollection AddNodeAgent(this IServiceCollection services, IConfiguration configuration, string path = "ControlPlane")
    {
        services.AddValidatedOptions<NodeAgentOptions>(configuration, path);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NodeAgentStatus>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<LiveOptions<NodeAgentOptions>>();
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(5) })
            {
                BaseAddress = new Uri(options.Current.Url),
                Timeout = Timeout.InfiniteTimeSpan, // per-call timeouts come from NodeAgentOptions.RequestTimeout
            };
            return new ControlPlaneClient(http, () => options.Current.ResolveToken());
        });
        services.AddSingleton<NodeAgentService>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeAgentService>());
        return services;
    }
}
