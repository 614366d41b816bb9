using System.Collections.Concurrent;
using System.Net;
using Cdn.Contracts;
using Cdn.Contracts.Purge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Tests.Support;

/// <summary>A node's admin API as far as purges go: answers POST /admin/purge with a bearer token and records each call.</summary>
internal sealed class FakeNodeAdmin : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeNodeAdmin(WebApplication app, int port)
    {
        _app = app;
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri Url { get; }

    /// <summary>Purge ids received, with when.</summary>
    public ConcurrentQueue<(string PurgeId, DateTimeOffset At)> Calls { get; } = new();

    public static async Task<FakeNodeAdmin> StartAsync(int port, string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var node = new FakeNodeAdmin(app, port);
        app.MapPost(NodeAdminRoutes.Purge, async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization != $"Bearer {token}")
            {
                return Results.StatusCode(401);
            }

            var command = await context.Request.ReadFromJsonAsync(CdnJson.Default.NodePurgeCommand);
            node.Calls.Enqueue((command!.PurgeId, DateTimeOffset.UtcNow));
            return Results.Json(new NodePurgeResult(command.PurgeId, 1), CdnJson.Default.NodePurgeResult);
        });
        await app.StartAsync();
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
