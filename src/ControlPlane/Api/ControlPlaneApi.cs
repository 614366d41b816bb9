using System.Text;
using Cdn.Contracts;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Routing;
using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Fill;
using Cdn.ControlPlane.Popularity;
using Cdn.ControlPlane.Purge;
using Cdn.ControlPlane.Registry;
using Cdn.ControlPlane.Steering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cdn.ControlPlane.Api;

/// <summary>
/// The v1 HTTP API (<see cref="ControlPlaneRoutes"/>): node registration, heartbeats, drain, sites,
/// coverage zones and route explanations. Mapped inside the bearer-token group, so only <c>/healthz</c>
/// and <c>/readyz</c> answer without a token.
/// </summary>
internal static class ControlPlaneApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);

        api.MapGet(ControlPlaneRoutes.Nodes, (NodeRegistry nodes) =>
        {
            var list = new List<NodeStatus>();
            foreach (var (node, verdict) in nodes.Snapshot())
            {
                list.Add(NodeStatusMapper.ToStatus(node, verdict));
            }

            return TypedResults.Ok<IReadOnlyList<NodeStatus>>(list);
        }).WithName("ListNodes").WithSummary("Every registered node with its state, drain flag and last report.").WithTags("Nodes");

        api.MapGet(ControlPlaneRoutes.NodeById, (string id, NodeRegistry nodes) =>
        {
            foreach (var (node, verdict) in nodes.Snapshot())
            {
                if (node.NodeId == id)
                {
                    return Results.Ok(NodeStatusMapper.ToStatus(node, verdict));
                }
            }

            return Problems.NotFound("node", id);
        }).WithName("GetNode").WithSummary("One node.").WithTags("Nodes")
            .Produces<NodeStatus>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ControlPlaneRoutes.Nodes, async (HttpRequest request, NodeRegistry nodes, SiteCatalog sites, PurgeCoordinator purges, CancellationToken ct) =>
        {
            var (registration, problem) = await JsonBody.ReadAsync(request, CdnJson.Default.NodeRegistration, ct);
            if (problem is not null)
            {
                return problem;
            }

            var errors = NodeValidation.Check(registration!, sites);
            if (errors.Count > 0)
            {
                return Problems.BadRequest("Invalid node registration", string.Join("; ", errors), errors);
            }

            var record = await nodes.RegisterAsync(registration!, ct);
            purges.Wake(); // a node that was down may owe purges
            return Results.Ok(new NodeRegistrationAccepted(record.NodeId, nodes.Options.HeartbeatInterval));
        }).WithName("RegisterNode").WithSummary("Registers a node or replaces its registration (health must be proven again; a drain is kept).")
            .WithTags("Nodes").Accepts<NodeRegistration>("application/json").Produces<NodeRegistrationAccepted>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapPost(ControlPlaneRoutes.Heartbeat, async (string id, HttpRequest request, NodeRegistry nodes, PopularityAggregator popularity, FillPlanService plans, CancellationToken ct) =>
        {
            var (heartbeat, problem) = await JsonBody.ReadAsync(request, CdnJson.Default.NodeHeartbeat, ct);
            if (problem is not null)
            {
                return problem;
            }

            if (heartbeat!.Health is null || heartbeat.Load is null || heartbeat.Cache is null)
            {
                return Problems.BadRequest("Invalid heartbeat", "health, load and cache are required");
            }

            if (!string.IsNullOrEmpty(heartbeat.NodeId) && heartbeat.NodeId != id)
            {
                return Problems.BadRequest("Invalid heartbeat", $"the body is for node '{heartbeat.NodeId}' but the path names '{id}'");
            }

            var result = await nodes.HeartbeatAsync(id, heartbeat, ct);
            if (result is not { } r)
            {
                return Problems.NotFound("node", id);
            }

            // Only edges' demand forecasts what a site's edges should hold; shields see edges' misses, not players.
            var registration = r.Node.Registration;
            var isEdge = registration.Role == NodeRole.Edge;
            if (isEdge)
            {
                popularity.Record(registration.Site, heartbeat.Popularity);
            }

            return Results.Ok(new HeartbeatAccepted(r.Verdict.State, isEdge ? plans.ActiveVersion(registration.Site) : 0));
        }).WithName("Heartbeat").WithSummary("A node's periodic report. 404 means: register again.")
            .WithTags("Nodes").Accepts<NodeHeartbeat>("application/json").Produces<HeartbeatAccepted>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ControlPlaneRoutes.Drain, (string id, NodeRegistry nodes, CancellationToken ct) => SetDrained(id, true, nodes, ct))
            .WithName("DrainNode").WithSummary("Stops routing new players to the node; it keeps serving those it has.")
            .WithTags("Nodes").Produces<NodeStatus>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ControlPlaneRoutes.Undrain, (string id, NodeRegistry nodes, CancellationToken ct) => SetDrained(id, false, nodes, ct))
            .WithName("UndrainNode").WithSummary("Routes new players to the node again.")
            .WithTags("Nodes").Produces<NodeStatus>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ControlPlaneRoutes.Sites, (SiteCatalog sites) => TypedResults.Ok(sites.Sites))
            .WithName("ListSites").WithSummary("Sites in force (configuration overlaid by sites put through the API).").WithTags("Sites");

        api.MapPut(ControlPlaneRoutes.Sites, async (HttpRequest request, SiteCatalog sites, CancellationToken ct) =>
        {
            var (site, problem) = await JsonBody.ReadAsync(request, CdnJson.Default.SiteInfo, ct);
            if (problem is not null)
            {
                return problem;
            }

            var errors = sites.Check(site!);
            if (errors.Count > 0)
            {
                return Problems.BadRequest("Invalid site", string.Join("; ", errors), errors);
            }

            await sites.SaveAsync(site!, ct);
            return Results.Ok(sites.Find(site!.Name));
        }).WithName("PutSite").WithSummary("Creates or replaces one site.")
            .WithTags("Sites").Accepts<SiteInfo>("application/json").Produces<SiteInfo>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet(ControlPlaneRoutes.CoverageZones, (ActiveCoverageZones zones) => Results.Text(zones.Current.Json, "application/json", Encoding.UTF8))
            .WithName("GetCoverageZones").WithSummary("The coverage zone file in force (Traffic Control CZF JSON).").WithTags("Coverage zones")
            .Produces<string>(StatusCodes.Status200OK, "application/json");

        api.MapPut(ControlPlaneRoutes.CoverageZones, async (HttpRequest request, ActiveCoverageZones zones, CancellationToken ct) =>
        {
            if (request.ContentLength > JsonBody.MaxBytes)
            {
                return Problems.BadRequest("Request body too large", $"at most {JsonBody.MaxBytes} bytes");
            }

            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var json = await reader.ReadToEndAsync(ct);
            var update = await zones.ApplyAsync(json, $"API ({request.HttpContext.Connection.RemoteIpAddress})", ct);
            return update.Applied
                ? Results.Ok(new CoverageZoneSummary(update.Map.Zones.Count, update.Map.NetworkCount, update.Map.Revision))
                : Problems.BadRequest("Invalid coverage zone file; the previous zones stay in force", string.Join("; ", update.Errors), update.Errors);
        }).WithName("PutCoverageZones").WithSummary("Replaces the coverage zones (Traffic Control CZF JSON, unchanged). A bad file is rejected whole.")
            .WithTags("Coverage zones").Accepts<string>("application/json", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded").Produces<CoverageZoneSummary>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapPost(ControlPlaneRoutes.CoverageZonesValidate, async (HttpRequest request, CancellationToken ct) =>
        {
            if (request.ContentLength > JsonBody.MaxBytes)
            {
                return Problems.BadRequest("Request body too large", $"at most {JsonBody.MaxBytes} bytes");
            }

            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var map = CoverageZoneFile.Parse(await reader.ReadToEndAsync(ct), out var errors);
            return map is not null && errors.Count == 0
                ? Results.Ok(new CoverageZoneSummary(map.Zones.Count, map.NetworkCount, map.Revision))
                : Problems.BadRequest("Invalid coverage zone file", string.Join("; ", errors), errors);
        }).WithName("ValidateCoverageZones").WithSummary("Checks a coverage zone file exactly as PUT would, without applying it.")
            .WithTags("Coverage zones").Accepts<string>("application/json", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded")
            .Produces<CoverageZoneSummary>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet(ControlPlaneRoutes.Route, (string? client, SteeringPublisher steering) =>
        {
            var parsed = RouteExplainer.ParseClient(client);
            return parsed is { } c
                ? Results.Ok(RouteExplainer.Explain(client!, c.Address, c.Prefix, steering.Input()))
                : Problems.BadRequest("Invalid client", "pass ?client=<ip> or ?client=<ip>/<prefix>, e.g. ?client=10.1.2.3");
        }).WithName("ExplainRoute").WithSummary("Which site and edges the GeoDNS would answer for a client address or subnet, and why.")
            .WithTags("Routing").Produces<RouteDecision>().ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> SetDrained(string id, bool drained, NodeRegistry nodes, CancellationToken ct)
    {
        var record = await nodes.SetDrainedAsync(id, drained, ct);
        return record is null ? Problems.NotFound("node", id) : Results.Ok(NodeStatusMapper.ToStatus(record, nodes.Verdict(id)));
    }
}
