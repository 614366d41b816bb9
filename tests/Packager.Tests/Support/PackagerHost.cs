using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cdn.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Packager.Api;
using Packager.Jobs;

namespace Packager.Tests.Support;

/// <summary>The packager daemon in-process on a real Kestrel socket, configured as an operator would (command-line keys).</summary>
internal sealed class PackagerHost : IAsyncDisposable
{
    public const string Token = "packager-test-token-0123456789";

    private readonly WebApplication _app;

    private PackagerHost(WebApplication app, Uri address)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Settings for a host keeping its state in <paramref name="dir"/>; <paramref name="overrides"/> win.</summary>
    public static Dictionary<string, string> Settings(TempDirectory dir, IDictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Packager:OriginRoot"] = dir.Combine("origin"),
            ["Packager:Listen:Port"] = "0",
            ["Packager:PollInterval"] = "00:00:00.200",
            ["Packager:HeartbeatInterval"] = "00:00:00.200",
            ["Packager:LeaseDuration"] = "00:00:05",
            ["Database:EmbeddedPath"] = dir.Combine("jobs.db"),
            ["Admin:Tokens:0"] = Token,
            ["Encoding:Ffmpeg"] = MediaTools.Ffmpeg,
            ["Encoding:Ffprobe"] = MediaTools.Ffprobe,
            ["Encoding:SoftwarePreset"] = "ultrafast",
            ["Encoding:Thumbnails:Interval"] = "00:00:01",
            ["ControlPlane:RetryDelay"] = "00:00:00.050",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<PackagerHost> StartAsync(IDictionary<string, string> settings)
    {
        var args = settings.Select(s => $"--{s.Key}={s.Value}").ToArray();
        var app = PackagerDaemon.Build(DaemonHost.CreateBuilder(PackagerDaemon.Descriptor, args));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PackagerHost(app, new Uri(address));
    }

    public async Task<JobView> SubmitAsync(object body)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/jobs", body);
        Assert.True(response.IsSuccessStatusCode, $"submit failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync(PackagerJson.Default.JobView))!;
    }

    public async Task<JobView> GetAsync(string id)
        => (await Http.GetFromJsonAsync($"/api/v1/jobs/{id}", PackagerJson.Default.JobView))!;

    /// <summary>Polls the status API until <paramref name="done"/> holds.</summary>
    public Task<JobView> WaitAsync(string id, Func<JobView, bool> done, TimeSpan? timeout = null)
        => JobPoll.UntilAsync(Http, id, done, timeout);

    public Task<JobView> WaitFinishedAsync(string id, TimeSpan? timeout = null)
        => WaitAsync(id, j => j.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled, timeout);

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
