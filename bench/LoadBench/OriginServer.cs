using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LoadBench;

/// <summary>
/// The origin every cache under test fills from: serves the corpus, counts fetches per path, and throttles
/// the herd segments to a fixed rate so a fill lasts long enough to tell streaming from store-and-forward.
/// </summary>
internal sealed class OriginServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _fetches = new();
    private readonly ConcurrentDictionary<string, double> _firstByteMs = new();

    private OriginServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public int Fetches(string path) => _fetches.GetValueOrDefault(path);

    /// <summary>Time from receiving the request to sending the first body byte, for a path.</summary>
    public double FirstByteMs(string path) => _firstByteMs.GetValueOrDefault(path);

    /// <summary>Think time before the first byte of a herd segment (a distant origin).</summary>
    public TimeSpan HerdLatency { get; set; } = TimeSpan.FromMilliseconds(50);

    public static async Task<OriginServer> StartAsync(string root, int port, int throttleBytesPerSecond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var origin = new OriginServer(app, port);
        app.Run(context => origin.ServeAsync(context, root, throttleBytesPerSecond));
        await app.StartAsync();
        return origin;
    }

    private async Task ServeAsync(HttpContext context, string root, int throttle)
    {
        var started = Stopwatch.GetTimestamp();
        var path = context.Request.Path.Value ?? "/";
        _fetches.AddOrUpdate(path, 1, (_, n) => n + 1);
        var full = Path.GetFullPath(Path.Combine(root, path.TrimStart('/')));
        if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var info = new FileInfo(full);
        context.Response.ContentLength = info.Length;
        context.Response.ContentType = path.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : "video/iso.segment";
        context.Response.Headers.CacheControl = path.EndsWith(".m3u8", StringComparison.Ordinal) ? "max-age=3600" : "max-age=86400";
        context.Response.Headers.LastModified = info.LastWriteTimeUtc.ToString("r");
        if (!path.StartsWith("/herd/", StringComparison.Ordinal))
        {
            await context.Response.SendFileAsync(full);
            _firstByteMs[path] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return;
        }

        await Task.Delay(HerdLatency);
        await using var file = File.OpenRead(full);
        var buffer = new byte[64 * 1024];
        int read;
        var sent = 0L;
        var clock = Stopwatch.StartNew();
        var first = true;
        while ((read = await file.ReadAsync(buffer)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read));
            await context.Response.Body.FlushAsync();
            if (first)
            {
                _firstByteMs[path] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                first = false;
            }

            sent += read;
            var due = TimeSpan.FromSeconds((double)sent / throttle) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
