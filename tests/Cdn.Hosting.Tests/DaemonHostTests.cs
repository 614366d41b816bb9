using System.Net;
using System.Net.Http.Headers;
using Cdn.Hosting.Configuration;
using Cdn.Hosting.Health;
using Cdn.Hosting.Systemd;
using Cdn.Hosting.Tests.Configuration;
using Cdn.Hosting.Tests.Systemd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cdn.Hosting.Tests;

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

[Collection(nameof(ConsoleCollection))]
public sealed class DaemonHostTests
{
    private const string Token = "test-admin-token-0123456789";
    private static readonly DaemonDescriptor Descriptor = new("testd", "TESTD_", "/nonexistent/testd.json");

    private static WebApplication Build(WebApplicationBuilder builder, SystemdNotifier? notifier = null)
    {
        builder.Services.AddValidatedOptions<SampleOptions>(builder.Configuration, "Sample");
        builder.Services.AddHealthChecks().AddDrainCheck();
        if (notifier is not null)
        {
            builder.Services.AddSingleton(notifier);
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Named(Listeners.Admin)));
        var app = builder.Build();
        app.UseAdminListener(() => [Token]);
        return app;
    }

    private static Uri BaseAddress(WebApplication app)
        => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    [Fact]
    public async Task The_admin_listener_serves_health_openly_and_metrics_only_with_a_token()
    {
        await using var app = Build(DaemonHost.CreateBuilder(Descriptor, []));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        var refused = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Bearer", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var metrics = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE process_cpu_seconds_total counter", await metrics.Content.ReadAsStringAsync());

        app.Services.GetRequiredService<DrainState>().Drain();
        var draining = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.StatusCode);
        Assert.Contains("drain: unhealthy (draining)", await draining.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task Measurements_made_before_the_first_scrape_are_counted()
    {
        await using var app = Build(DaemonHost.CreateBuilder(Descriptor, []));
        await app.StartAsync();
        using var meter = new System.Diagnostics.Metrics.Meter("Cdn.Test.BeforeScrape");
        meter.CreateCounter<long>("before_scrape_total").Add(3);
        using var http = new HttpClient { BaseAddress = BaseAddress(app) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var text = await (await http.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("before_scrape_total 3\n", text);
        await app.StopAsync();
    }

    [Fact]
    public async Task Systemd_hears_ready_when_started_and_stopping_when_stopped()
    {
        using var socket = new NotifySocket();
        await using var app = Build(DaemonHost.CreateBuilder(Descriptor, []), new SystemdNotifier(socket.Path));

        await app.StartAsync();
        Assert.Contains("READY=1", await socket.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(10)));

        await app.StopAsync();
        Assert.Contains("STOPPING=1", await socket.ReceiveUntilAsync("STOPPING=1", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Check_config_reports_every_error_and_exits_78()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("testd.json");
        await File.WriteAllTextAsync(path, """{ "Sample": { "Port": 0, "Name": "", "Extra": 1 } }""");
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            var code = await DaemonHost.RunAsync(Descriptor, ["--config", path, "--check-config"], b => Build(b));

            Assert.Equal(DaemonHost.ConfigurationErrorExitCode, code);
        }
        finally
        {
            Console.SetError(original);
        }

        var text = stderr.ToString();
        Assert.Contains("testd: configuration error: Sample:Port: must be between 1 and 65535, got 0", text);
        Assert.Contains("testd: configuration error: Sample:Name: must be set", text);
        Assert.Contains("testd: configuration error: Sample:Extra: unknown setting", text);
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_exits_78_naming_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("testd.json");
        await File.WriteAllTextAsync(path, "{ \"Sample\": { ");
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            Assert.Equal(78, await DaemonHost.RunAsync(Descriptor, ["--config", path, "--check-config"], b => Build(b)));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains($"configuration file '{path}' is not valid JSON", stderr.ToString());
    }

    [Fact]
    public async Task A_missing_config_file_given_on_the_command_line_exits_78()
    {
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            Assert.Equal(78, await DaemonHost.RunAsync(Descriptor, ["--config", "/nonexistent/x.json", "--check-config"], b => Build(b)));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains("configuration file '/nonexistent/x.json' does not exist", stderr.ToString());
    }
}
