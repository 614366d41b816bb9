using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cdn.ControlPlane.Cli.Tests.Support;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Cli.Tests;

/// <summary><c>edgectl doctor</c> on a freshly "installed" edge in a temp directory.</summary>
public sealed class DoctorTests : IAsyncLifetime
{
    private ControlPlaneHost _cp = null!;
    private readonly TempDirectory _dir = new("doctor");

    public async Task InitializeAsync() => _cp = await ControlPlaneHost.StartAsync(c => c["Health"]!["HeartbeatInterval"] = "00:01:00");

    public async Task DisposeAsync()
    {
        await _cp.DisposeAsync();
        _dir.Dispose();
    }

    private string WriteConfig(int httpPort, string site = "ams", string? extra = null, string? token = null)
    {
        Directory.CreateDirectory(_dir.Combine("origin"));
        var path = _dir.Combine($"edgenode-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""
        {
          "Edge": {
            "NodeName": "edge-new", "Site": "{{site}}",
            "Listeners": { "Http": { "Address": "127.0.0.1", "Port": {{httpPort}} }, "Admin": { "Address": "127.0.0.1", "Port": {{FreePort.Tcp()}} } },
            "Admin": { "Tokens": [ "admin-token-0123456789" ] },
            "Cache": { "Volumes": [ { "Path": "{{_dir.Combine("vol0")}}", "CapacityBytes": 10485760 } ], "Index": { "Directory": "{{_dir.Combine("index")}}" } },
            "Upstreams": { "Origins": [ { "Url": "file://{{_dir.Combine("origin")}}" }, { "Url": "{{_cp.ApiBase}}" } ] },
            "ControlPlane": { "Url": "{{_cp.ApiBase}}", "Token": "{{token ?? ControlPlaneHost.Token}}", "Addresses": [ "127.0.0.1" ] }{{extra}}
          },
          "Fill": { "Host": "video.cdn.test" }
        }
        """);
        return path;
    }

    [Fact]
    public async Task A_good_edge_passes_every_check()
    {
        var config = WriteConfig(FreePort.Tcp());

        var human = await EdgeCtl.RunAsync("doctor", "--edge-config", config);
        var json = JsonNode.Parse((await EdgeCtl.RunAsync("doctor", "--edge-config", config, "--json")).Out)!;

        Assert.True(human.Exit == 0, human.ToString());
        Assert.Contains("All checks passed.", human.Out, StringComparison.Ordinal);
        var checks = json["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.Equal("Pass", checks["config"]);
        Assert.Equal("Pass", checks["port http"]);
        Assert.Equal("Pass", checks["port admin"]);
        Assert.Equal("Pass", checks["cache index"]);
        Assert.Equal("Pass", checks["control plane"]);
        Assert.Equal("Pass", checks["clock"]);
        Assert.Contains(checks, c => c.Key.StartsWith("volume ", StringComparison.Ordinal) && c.Value == "Pass");
        Assert.Equal(2, checks.Count(c => c.Key.StartsWith("origin ", StringComparison.Ordinal) && c.Value == "Pass"));
    }

    [Fact]
    public async Task Each_failing_check_says_how_to_fix_it_and_the_exit_code_is_1()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var busy = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var config = WriteConfig(busy, site: "mars", token: "wrong-token-0123456789");

        var result = await EdgeCtl.RunAsync("doctor", "--edge-config", config, "--json");
        var checks = JsonNode.Parse(result.Out)!["checks"]!.AsArray();

        Assert.Equal(ExitCodes.Failed, result.Exit);
        var port = checks.Single(c => c!["name"]!.GetValue<string>() == "port http")!;
        Assert.Equal("Fail", port["status"]!.GetValue<string>());
        Assert.Contains($"ss -ltnp 'sport = :{busy}'", port["fix"]!.GetValue<string>(), StringComparison.Ordinal);
        var cp = checks.Single(c => c!["name"]!.GetValue<string>() == "control plane")!;
        Assert.Contains("rejected the token", cp["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Auth:Tokens", cp["fix"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_configuration_fails_with_every_bad_setting_and_skips_the_rest()
    {
        var config = WriteConfig(FreePort.Tcp(), extra: """, "Volums": 3""");

        var result = await EdgeCtl.RunAsync("doctor", "--edge-config", config);
        var missing = await EdgeCtl.RunAsync("doctor", "--edge-config", _dir.Combine("nope.json"));

        Assert.Equal(ExitCodes.Failed, result.Exit);
        Assert.Contains("Edge:Volums: unknown setting", result.Out, StringComparison.Ordinal);
        Assert.Contains("skip", result.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, missing.Exit);
        Assert.Contains("does not exist", missing.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_control_plane_and_origin_fail_with_hints()
    {
        var down = FreePort.Tcp();
        var config = WriteConfig(FreePort.Tcp());
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace(_cp.ApiBase.ToString(), $"http://127.0.0.1:{down}/", StringComparison.Ordinal));

        var result = await EdgeCtl.RunAsync("doctor", "--edge-config", config, "--json", "--check-timeout", "00:00:02");
        var checks = JsonNode.Parse(result.Out)!["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);

        Assert.Equal(ExitCodes.Failed, result.Exit);
        Assert.Equal("Fail", checks["control plane"]["status"]!.GetValue<string>());
        Assert.Contains("management network", checks["control plane"]["fix"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Fail", checks[$"origin 127.0.0.1:{down}"]["status"]!.GetValue<string>());
        Assert.Equal("Skip", checks["clock"]["status"]!.GetValue<string>());
    }
}
