using System.Collections.Concurrent;
using Cdn.Contracts;
using Cdn.Contracts.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Packager.Tests.Support;

/// <summary>A control plane on a real socket that records what the packager announces; it can refuse the first N calls.</summary>
internal sealed class FakeControlPlane : IAsyncDisposable
{
    public const string Token = "control-plane-token-0123456789";

    private WebApplication _app = null!;
    private int _refusals;

    private FakeControlPlane(int refusals) => _refusals = refusals;

    public ConcurrentQueue<TitlePublished> Accepted { get; } = new();

    public string Url => LoopbackServer.Address(_app);

    public static async Task<FakeControlPlane> StartAsync(int refusals = 0)
    {
        var plane = new FakeControlPlane(refusals);
        plane._app = await LoopbackServer.StartAsync(app => app.MapPost(ControlPlaneRoutes.Titles, (Func<HttpContext, Task<IResult>>)plane.AcceptAsync));
        return plane;
    }

    private async Task<IResult> AcceptAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            return Results.Unauthorized();
        }

        if (Interlocked.Decrement(ref _refusals) >= 0)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var title = await context.Request.ReadFromJsonAsync(CdnJson.Default.TitlePublished);
        Accepted.Enqueue(title!);
        return Results.Accepted();
    }

    public Dictionary<string, string> Settings() => new()
    {
        ["ControlPlane:Url"] = Url,
        ["ControlPlane:Token"] = Token,
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
