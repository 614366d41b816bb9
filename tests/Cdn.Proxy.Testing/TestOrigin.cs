using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Testing;

/// <summary>
/// A real HTTP origin on a loopback port whose answers each test programs per path, counting the requests
/// it gets — the numbers coalescing and caching tests assert on.
/// </summary>
public sealed class TestOrigin : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly ConcurrentQueue<(string Path, string Query, IHeaderDictionary Headers)> _requests = new();
    private readonly WebApplication _app;

    private TestOrigin(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public string Url => BaseAddress.ToString().TrimEnd('/');

    public static async Task<TestOrigin> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var origin = new TestOrigin(app);
        app.Run(origin.HandleAsync);
        await app.StartAsync();
        origin.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return origin;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        _requests.Enqueue((path, context.Request.QueryString.Value ?? "", new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
        if (_routes.TryGetValue(path, out var route) || (route = _fallback) is not null)
        {
            await route(context);
            return;
        }

        context.Response.StatusCode = 404;
        await context.Response.WriteAsync("no such object\n");
    }

    /// <summary>Requests the origin received for <paramref name="path"/>.</summary>
    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <summary>Request headers of every request for <paramref name="path"/>, in order.</summary>
    public List<IHeaderDictionary> Requests(string path) => _requests.Where(r => r.Path == path).Select(r => r.Headers).ToList();

    /// <summary>Query strings of every request for <paramref name="path"/>, in order.</summary>
    public List<string> Queries(string path) => _requests.Where(r => r.Path == path).Select(r => r.Query).ToList();

    public void Route(string path, Func<HttpContext, Task> handler) => _routes[path] = handler;

    /// <summary>Answers every path without a route of its own (instead of 404).</summary>
    public void RouteAll(Func<HttpContext, Task> handler) => _fallback = handler;

    private Func<HttpContext, Task>? _fallback;

    /// <summary>Serves <paramref name="body"/> with the given headers (and an ETag unless one is given).</summary>
    public void Serve(string path, byte[] body, params (string Name, string Value)[] headers)
        => Route(path, async context =>
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers.Append(name, value);
            }

            if (!context.Response.Headers.ContainsKey("ETag"))
            {
                context.Response.Headers.ETag = $"\"{body.Length:x}-{body.Length > 0 && body[0] > 0}\"";
            }

            if (context.Request.Headers.IfNoneMatch.Count > 0 && context.Request.Headers.IfNoneMatch.ToString() == context.Response.Headers.ETag.ToString())
            {
                context.Response.StatusCode = 304;
                return;
            }

            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });

    /// <summary>Serves <paramref name="body"/> at about <paramref name="bytesPerSecond"/>, in 16 KiB steps.</summary>
    public void ServeSlowly(string path, byte[] body, int bytesPerSecond, params (string Name, string Value)[] headers)
        => Route(path, async context =>
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers.Append(name, value);
            }

            context.Response.ContentLength = body.Length;
            await context.Response.StartAsync();
            const int Step = 16 * 1024;
            for (var at = 0; at < body.Length; at += Step)
            {
                await context.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(Step, body.Length - at)));
                await context.Response.Body.FlushAsync();
                await Task.Delay(TimeSpan.FromSeconds((double)Step / bytesPerSecond));
            }
        });

    /// <summary>
    /// Serves the first <paramref name="firstBytes"/> of <paramref name="body"/> at once, the rest when
    /// <paramref name="release"/> completes: a response a test can hold in flight.
    /// </summary>
    public void ServeHeldBack(string path, byte[] body, int firstBytes, Task release, params (string Name, string Value)[] headers)
        => Route(path, async context =>
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers.Append(name, value);
            }

            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body.AsMemory(0, firstBytes));
            await context.Response.Body.FlushAsync();
            await release;
            await context.Response.Body.WriteAsync(body.AsMemory(firstBytes));
        });

    public static byte[] Bytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
