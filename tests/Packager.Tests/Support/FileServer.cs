using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Packager.Tests.Support;

/// <summary>An HTTP server on a real socket serving one file at <c>/media/&lt;name&gt;</c> (sources given as URLs).</summary>
internal sealed class FileServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FileServer(WebApplication app) => _app = app;

    public string Url(string name) => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/media/" + name;

    public static async Task<FileServer> StartAsync(string file)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/media/{name}", (string name) => name == Path.GetFileName(file)
            ? Results.File(file, "video/mp4")
            : Results.NotFound());
        await app.StartAsync();
        return new FileServer(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
