using Cdn.Contracts;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Stats;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cdn.ControlPlane.Api;

/// <summary>Fleet statistics for <c>edgectl stats</c> and <c>edgectl top</c>.</summary>
internal static class StatsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(ControlPlaneRoutes.Stats, async (string? site, int? top, double? hours, FleetStatsBuilder stats, CancellationToken ct) =>
        {
            var n = top ?? 10;
            var h = hours ?? 24;
            if (n is < 1 or > 1000 || double.IsNaN(h) || h <= 0 || h > 24 * 366)
            {
                return Problems.BadRequest("Invalid statistics query", "top must be 1–1000 and hours above 0 and at most a year");
            }

            return Results.Ok(await stats.BuildAsync(site, n, h, ct));
        }).WithName("FleetStats").WithSummary("Per site: nodes up, Gb/s, requests/s, hit and byte-hit ratios, cache use; the top titles and objects over ?hours=.")
            .WithTags("Stats").Produces<FleetStats>().ProducesProblem(StatusCodes.Status400BadRequest);
    }
}
