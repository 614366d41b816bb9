using Cdn.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Cdn.Proxy.Node;

/// <summary>
/// The whole <c>Main</c> of a cache node daemon (edgenode, originshield): the shared daemon host over
/// <see cref="CacheNode"/>, and the exit code 73 (EX_CANTCREAT) when the cache cannot be opened.
/// </summary>
public static class CacheNodeDaemon
{
    /// <summary>Exit code when the cache (index or a volume) cannot be opened.</summary>
    public const int CannotOpenCacheExitCode = 73;

    /// <summary>
    /// Runs the node described by <paramref name="daemon"/> with its settings in <paramref name="section"/>;
    /// <paramref name="service"/> labels its metrics.
    /// </summary>
    public static Task<int> RunAsync(DaemonDescriptor daemon, string section, string service, string[] args)
        => RunAsync(daemon, args, builder =>
        {
            builder.AddCacheNode(section, service);
            var app = builder.Build();
            app.UseCacheNode();
            return app;
        });

    /// <summary>
    /// Runs a cache node daemon that <paramref name="build"/> composes (a cache node plus what else the daemon
    /// hosts, e.g. the edge's fill agent).
    /// </summary>
    public static async Task<int> RunAsync(DaemonDescriptor daemon, string[] args, Func<WebApplicationBuilder, WebApplication> build)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        try
        {
            return await DaemonHost.RunAsync(daemon, args, build);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The cache (index or a volume) cannot be opened: nothing to serve from.
            await Console.Error.WriteLineAsync($"{daemon.Name}: cannot open the cache: {ex.Message}");
            return CannotOpenCacheExitCode;
        }
    }
}
