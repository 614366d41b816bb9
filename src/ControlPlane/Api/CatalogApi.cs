using Cdn.Contracts;
using Cdn.Contracts.Catalog;
using Cdn.ControlPlane.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cdn.ControlPlane.Api;

/// <summary>The catalog routes: the packager publishes titles; operators list and withdraw them.</summary>
internal static class CatalogApi
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);

        api.MapPost(ControlPlaneRoutes.Titles, async (HttpRequest request, TitleCatalog catalog, CancellationToken ct) =>
        {
            var (title, problem) = await JsonBody.ReadAsync(request, CdnJson.Default.TitlePublished, ct);
            if (problem is not null)
            {
                return problem;
            }

            var (summary, problems) = await catalog.PublishAsync(title!, ct);
            return summary is not null ? Results.Ok(summary) : Problems.BadRequest("Invalid title publication", string.Join("; ", problems), problems);
        }).WithName("PublishTitle").WithSummary("The packager tells the control plane a title is on the origin (after its atomic publish). Republishing replaces it.")
            .WithTags("Catalog").Accepts<TitlePublished>("application/json").Produces<TitleSummary>().ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapGet(ControlPlaneRoutes.Titles, (TitleCatalog catalog) => TypedResults.Ok<IReadOnlyList<TitleSummary>>([.. catalog.Titles.Values.Select(t => t.Summary)]))
            .WithName("ListTitles").WithSummary("Every live title, without object lists.").WithTags("Catalog");

        api.MapGet(ControlPlaneRoutes.TitleById, async (string id, TitleCatalog catalog, CancellationToken ct) =>
            await catalog.GetDocumentAsync(id, ct) is { } title ? Results.Ok(title) : Problems.NotFoundDetail("Unknown title", $"no title '{id}' was ever published"))
            .WithName("GetTitle").WithSummary("One title with every object and its size (withdrawn titles too: edges expand plans that release them).")
            .WithTags("Catalog").Produces<TitlePublished>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete(ControlPlaneRoutes.TitleById, async (string id, TitleCatalog catalog, CancellationToken ct) =>
            await catalog.WithdrawAsync(id, ct) ? Results.NoContent() : Problems.NotFoundDetail("Unknown title", $"no title '{id}' is in the catalog"))
            .WithName("WithdrawTitle").WithSummary("Withdraws a title: the next plans release it (purge it to stop serving it now).")
            .WithTags("Catalog").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }
}
