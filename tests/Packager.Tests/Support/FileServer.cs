using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Packager.Tests.Support;

/// <summary>An HTTP server on a real socket serving one file at <c>/media/&lt;name&gt;</c> (sources given as URLs).</summary>
internal sealed class FileServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FileServer(WebApplication app) => _app = app;

    public string Url(string name) => LoopbackServer.Address(_app) + "/media/" + name;

    public static async Task<FileServer> StartAsync(string file)
        => new(await LoopbackServer.StartAsync(app => app.MapGet("/media/{name}", (string name) => name == Path.GetFileName(file)
            ? Results.File(file, "video/mp4")
            : Results.NotFound())));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
