using System.Text;
using Cdn.Caching;
using Cdn.Contracts;
using Cdn.Contracts.Purge;
using Cdn.Proxy.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cdn.Proxy.Admin;

/// <summary>The cache node admin routes (behind the admin listener's bearer tokens): purge and cache statistics.</summary>
public static class NodeAdminEndpoints
{
    /// <summary>Maps the routes on <paramref name="group"/>.</summary>
    public static void Map(RouteGroupBuilder group, CacheEngine engine, RequestTargetParser parser)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost(NodeAdminRoutes.Purge, async (HttpContext context) =>
        {
            NodePurgeCommand? command;
            try
            {
                command = await context.Request.ReadFromJsonAsync(CdnJson.Default.NodePurgeCommand, context.RequestAborted);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return Results.Problem(statusCode: 400, title: "Bad purge request", detail: $"body is not a purge command: {ex.Message}");
            }

            if (command is null || string.IsNullOrWhiteSpace(command.Target))
            {
                return Results.Problem(statusCode: 400, title: "Bad purge request", detail: "target is required");
            }

            var prefix = command.Kind == PurgeKind.Prefix;
            if (!PurgeTargets.TryNormalize(parser, command.Target, prefix, out var key, out var error))
            {
                return Results.Problem(statusCode: 400, title: "Bad purge target", detail: error);
            }

            long removed;
            if (prefix)
            {
                removed = await engine.PurgePrefixAsync(Encoding.UTF8.GetBytes(key), context.RequestAborted);
            }
            else
            {
                removed = engine.Remove(engine.KeyHasher.Create(key)) ? 1 : 0;
                // Variants of a varying object have keys of their own under the URL's key.
                removed += await engine.PurgePrefixAsync(Encoding.UTF8.GetBytes(key + "\n"), context.RequestAborted);
            }

            return Results.Json(new NodePurgeResult(command.PurgeId, removed), CdnJson.Default.NodePurgeResult);
        });

        group.MapGet(NodeAdminRoutes.CacheStats, () => Results.Json(new
        {
            statistics = engine.GetStatistics(),
            volumes = engine.GetVolumes(),
        }));
    }
}
