using Cdn.Contracts;
using Cdn.Contracts.Fill;
using Cdn.ControlPlane.Fill;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cdn.ControlPlane.Api;

/// <summary>Fill plans (compute, list, show, push, an edge's part), pins, and progress reports.</summary>
internal static class FillApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);

        api.MapPost(ControlPlaneRoutes.FillPlans, async (HttpRequest request, FillPlanService plans, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync(request, CdnJson.Default.FillPlanRequest, ct);
            if (problem is not null)
            {
                return problem;
            }

            return string.IsNullOrEmpty(body!.Site)
                ? Problems.BadRequest("Invalid plan request", "site is required")
                : Problems.From(await plans.ComputeAsync(body.Site, body.Push, ct), "Cannot plan");
        }).WithName("ComputeFillPlan").WithSummary("Computes a site's next fill plan from the catalog, the site's demand, pins and the active plan: a draft, or active with push=true.")
            .WithTags("Fill").Accepts<FillPlanRequest>("application/json").Produces<FillPlanSummary>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet(ControlPlaneRoutes.FillPlans, async (string? site, FillPlanService plans, CancellationToken ct) => TypedResults.Ok(await plans.ListAsync(site, ct)))
            .WithName("ListFillPlans").WithSummary("Plan versions, newest first (?site= for one site).").WithTags("Fill");

        api.MapGet(ControlPlaneRoutes.FillPlanBySite, async (string site, FillPlanService plans, CancellationToken ct) =>
            await plans.PlanAsync(site, null, ct) is { } plan ? Results.Ok(plan) : Problems.NotFoundDetail("No active plan", $"site '{site}' has no pushed plan: compute one and push it"))
            .WithName("GetActiveFillPlan").WithSummary("The site's active plan with every item.").WithTags("Fill").Produces<FillPlan>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ControlPlaneRoutes.FillPlanVersion, async (string site, long version, bool? summary, FillPlanService plans, CancellationToken ct) =>
        {
            if (summary == true)
            {
                return await plans.SummaryAsync(site, version, ct) is { } s ? Results.Ok(s) : NoVersion(site, version);
            }

            return await plans.PlanAsync(site, version, ct) is { } plan ? Results.Ok(plan) : NoVersion(site, version);
        }).WithName("GetFillPlan").WithSummary("One version of a site's plan (?summary=true: without items).").WithTags("Fill")
            .Produces<FillPlan>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ControlPlaneRoutes.FillPlanPush, async (string site, long version, FillPlanService plans, CancellationToken ct) =>
            Problems.From(await plans.PushAsync(site, version, ct), "Cannot push"))
            .WithName("PushFillPlan").WithSummary("Makes a version the site's active plan; edges learn of it in their next heartbeat answer.")
            .WithTags("Fill").Produces<FillPlanSummary>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet(ControlPlaneRoutes.FillPlanForNode, async (string site, string id, FillPlanService plans, CancellationToken ct) =>
            await plans.NodePlanAsync(site, id, ct) is { } plan ? Results.Ok(plan) : Problems.NotFoundDetail("No active plan", $"site '{site}' has no pushed plan"))
            .WithName("GetNodeFillPlan").WithSummary("An edge's part of its site's active plan, with its peers' cache URLs.").WithTags("Fill")
            .Produces<FillPlan>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(ControlPlaneRoutes.FillProgress, async (HttpRequest request, FillPlanService plans, CancellationToken ct) =>
        {
            var (progress, problem) = await JsonBody.ReadAsync(request, CdnJson.Default.FillProgress, ct);
            return problem ?? Problems.From(await plans.ReportAsync(progress!, ct), "Invalid fill progress");
        }).WithName("ReportFillProgress").WithSummary("An edge reports its progress on its part of the active plan.").WithTags("Fill")
            .Accepts<FillProgress>("application/json").Produces<FillProgress>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ControlPlaneRoutes.FillProgress, async (string? site, FillPlanService plans, CancellationToken ct) => TypedResults.Ok(await plans.ProgressAsync(site, ct)))
            .WithName("ListFillProgress").WithSummary("Each edge's latest progress report (?site= for one site).").WithTags("Fill");

        api.MapGet(ControlPlaneRoutes.FillPins, async (FillPlanService plans, CancellationToken ct) => TypedResults.Ok(await plans.PinsAsync(ct)))
            .WithName("ListPins").WithSummary("Operator pins.").WithTags("Fill");

        api.MapPost(ControlPlaneRoutes.FillPins, async (HttpRequest request, FillPlanService plans, CancellationToken ct) =>
        {
            var (pin, problem) = await JsonBody.ReadAsync(request, CdnJson.Default.FillPinRequest, ct);
            return problem ?? Problems.From(await plans.AddPinAsync(pin!, ct), "Invalid pin");
        }).WithName("AddPin").WithSummary("Pins a title or path prefix at a site (or every site): plans keep it whatever the forecast says.")
            .WithTags("Fill").Accepts<FillPinRequest>("application/json").Produces<FillPin>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapDelete(ControlPlaneRoutes.FillPinById, async (string id, FillPlanService plans, CancellationToken ct) =>
            await plans.DeletePinAsync(id, ct) ? Results.NoContent() : Problems.NotFoundDetail("Unknown pin", $"no pin '{id}'"))
            .WithName("DeletePin").WithSummary("Removes a pin (the next plan may release what it held).").WithTags("Fill")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult NoVersion(string site, long version) => Problems.NotFoundDetail("Unknown plan", $"site '{site}' has no plan version {version}");
}
