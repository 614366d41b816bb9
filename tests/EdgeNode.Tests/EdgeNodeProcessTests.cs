namespace EdgeNode.Tests;

public sealed class EdgeNodeProcessTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
        => await ExternalTool.RunAsync("dotnet", [Daemons.Binary("EdgeNode", "edgenode"), .. args], TimeSpan.FromSeconds(60));

    [Fact]
    public async Task A_bad_configuration_is_reported_field_by_field_with_exit_code_78()
    {
        using var dir = new TempDirectory("edgecfg");
        var config = dir.Combine("edgenode.json");
        await File.WriteAllTextAsync(config, """
        {
          "Edge": {
            "NodeName": "bad name!",
            "Listeners": { "Http": { "Port": 70000 }, "Admin": { "Address": "not-an-ip", "Port": 9080 } },
            "Cache": { "Volumes": [ { "Path": "", "CapacityBytes": 5 } ] },
            "Upstreams": { "Origins": [ { "Url": "ftp://origin" } ] },
            "Polcy": {}
          }
        }
        """);

        var (code, _, err) = await RunAsync("--config", config, "--check-config");

        Assert.Equal(78, code);
        Assert.Contains("Edge:NodeName: 'bad name!' must be letters, digits", err);
        Assert.Contains("Edge:Listeners:Http:Port: must be between 0 and 65535, got 70000", err);
        Assert.Contains("Edge:Listeners:Admin:Address: 'not-an-ip' is not an IP address", err);
        Assert.Contains("Edge:Cache:Volumes:0:Path: must be set", err);
        Assert.Contains("Edge:Cache:Volumes:0:CapacityBytes: must be at least 1 MiB, got 5", err);
        Assert.Contains("Edge:Upstreams:Origins:0:Url: 'ftp://origin' is not an http://, https:// or file:// URL", err);
        Assert.Contains("Edge:Polcy: unknown setting", err);
        Assert.Contains("Edge:Admin: no bearer token configured", err);
    }

    [Fact]
    public async Task A_good_configuration_checks_out_without_touching_the_cache()
    {
        // systemd's ExecReload runs --check-config beside the running daemon: it must not open (recover, then
        // checkpoint) the index that daemon owns, nor touch its volumes.
        using var dir = new TempDirectory("edgecfg");
        var config = dir.Combine("edgenode.json");
        await File.WriteAllTextAsync(config, $$"""
        {
          "Edge": {
            "Admin": { "Tokens": [ "a-token-of-sixteen-chars" ] },
            "Cache": { "Volumes": [ { "Path": "{{dir.Combine("vol")}}", "CapacityBytes": 10485760 } ], "Index": { "Directory": "{{dir.Combine("idx")}}" } },
            "Upstreams": { "Origins": [ { "Url": "http://127.0.0.1:1" } ] }
          }
        }
        """);

        var (code, output, err) = await RunAsync("--config", config, "--check-config");

        Assert.True(code == 0, err);
        Assert.Contains("edgenode: configuration OK", output);
        Assert.False(Directory.Exists(dir.Combine("idx")), "--check-config opened the index");
        Assert.False(Directory.Exists(dir.Combine("vol")), "--check-config opened the cache volume");
    }

    [Fact]
    public async Task Invalid_json_is_named()
    {
        using var dir = new TempDirectory("edgecfg");
        var config = dir.Combine("edgenode.json");
        await File.WriteAllTextAsync(config, "{ \"Edge\": ");

        var (code, _, err) = await RunAsync("--config", config);

        Assert.Equal(78, code);
        Assert.Contains("is not valid JSON", err);
    }
}
