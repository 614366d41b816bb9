using Cdn.Contracts;
using Cdn.Contracts.Purge;
using Cdn.ControlPlane.Purge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cdn.ControlPlane.Api;

/// <summary>Purges: start one (fanned out to every edge and shield), follow it per node.</summary>
internal static class PurgeApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);

        api.MapPost(ControlPlaneRoutes.Purges, async (HttpRequest request, PurgeCoordinator purges, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync(request, CdnJson.Default.PurgeRequest, ct);
            if (problem is not null)
            {
                return problem;
            }

            if (TargetProblem(body!) is { } invalid)
            {
                return Problems.BadRequest("Invalid purge", invalid);
            }

            var (status, refused) = await purges.CreateAsync(body!, ct);
            return status is not null
                ? Results.Accepted(ControlPlaneRoutes.PurgeById.Replace("{id}", status.PurgeId, StringComparison.Ordinal), status)
                : Problems.Unavailable("Purge fan-out is not configured", refused!);
        }).WithName("Purge").WithSummary("Purges a URL or prefix on every edge and shield (shields first); retried per node until each confirms.")
            .WithTags("Purge").Accepts<PurgeRequest>("application/json").Produces<PurgeStatus>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet(ControlPlaneRoutes.Purges, async (PurgeCoordinator purges, CancellationToken ct) => TypedResults.Ok(await purges.ListAsync(ct)))
            .WithName("ListPurges").WithSummary("Recent purges, newest first.").WithTags("Purge");

        api.MapGet(ControlPlaneRoutes.PurgeById, async (string id, PurgeCoordinator purges, CancellationToken ct) =>
            await purges.GetAsync(id, ct) is { } status ? Results.Ok(status) : Problems.NotFoundDetail("Unknown purge", $"no purge '{id}'"))
            .WithName("GetPurge").WithSummary("One purge, per node.").WithTags("Purge").Produces<PurgeStatus>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Null when the target names something a node can purge: a URL or host/path (the host is part of every cache key).</summary>
    public static string? TargetProblem(PurgeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.Target?.Trim() ?? "";
        if (!Enum.IsDefined(request.Kind))
        {
            return "kind must be url or prefix";
        }

        var rest = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? target[(target.IndexOf("//", StringComparison.Ordinal) + 2)..]
            : target;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return $"target '{target}' must be a URL (https://cdn.example/title1/seg1.m4s) or host/path (cdn.example/title1/): the host is part of every cache key";
        }

        if (request.Kind == PurgeKind.Prefix && rest.Length - slash <= 1)
        {
            return $"prefix '{target}' would purge the whole host; name at least one path segment";
        }

        return null;
    }
}
