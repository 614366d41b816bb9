using System.Collections.Concurrent;
using System.Net;
using Cdn.Contracts;
using Cdn.Contracts.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Packager.Tests.Support;

/// <summary>A control plane on a real socket that records what the packager announces; it can refuse the first N calls.</summary>
internal sealed class FakeControlPlane : IAsyncDisposable
{
    public const string Token = "control-plane-token-0123456789";

    private readonly WebApplication _app;
    private int _refusals;

    private FakeControlPlane(WebApplication app, int refusals)
    {
        _app = app;
        _refusals = refusals;
    }

    public ConcurrentQueue<TitlePublished> Accepted { get; } = new();

    public int Calls;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<FakeControlPlane> StartAsync(int refusals = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var plane = new FakeControlPlane(app, refusals);
        app.MapPost(ControlPlaneRoutes.Titles, async (HttpContext context) =>
        {
            Interlocked.Increment(ref plane.Calls);
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
            {
                return Results.Unauthorized();
            }

            if (Interlocked.Decrement(ref plane._refusals) >= 0)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            var title = await context.Request.ReadFromJsonAsync(CdnJson.Default.TitlePublished);
            plane.Accepted.Enqueue(title!);
            return Results.Accepted();
        });
        await app.StartAsync();
        return plane;
    }

    public Dictionary<string, string> Settings() => new()
    {
        ["ControlPlane:Url"] = Url,
        ["ControlPlane:Token"] = Token,
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
