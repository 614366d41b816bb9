using System.Net;
using System.Net.Http.Headers;

namespace OriginShield.Tests;

/// <summary>The originshield binary itself: configuration errors, and a running shield over a local origin tree.</summary>
public sealed class OriginShieldProcessTests
{
    private const string Token = "a-token-of-sixteen-chars";

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
        => await ExternalTool.RunAsync("dotnet", [Daemons.Binary("OriginShield", "originshield"), .. args], TimeSpan.FromSeconds(60));

    [Fact]
    public async Task A_bad_configuration_is_reported_field_by_field_with_exit_code_78()
    {
        using var dir = new TempDirectory("shieldcfg");
        var config = dir.Combine("originshield.json");
        await File.WriteAllTextAsync(config, """
        {
          "Shield": {
            "Admin": { "Tokens": [ "short" ] },
            "Upstreams": {
              "Origins": [ { "Url": "file:///nonexistent/origin/tree" }, { "Url": "http://origin.test", "Weight": 0 } ],
              "OriginSelection": "Weighted",
              "HealthCheck": { "Path": "health", "Method": "POST", "Interval": "00:00:01", "Timeout": "00:00:05", "ExpectedStatus": "2xx" }
            },
            "Polcy": {}
          }
        }
        """);

        var (code, _, err) = await RunAsync("--config", config, "--check-config");

        Assert.Equal(78, code);
        Assert.Contains("originshield: configuration error: Shield:Admin:Tokens:0: a token must be at least 16 characters", err);
        Assert.Contains("Shield:Upstreams:Origins:0:Url: origin directory '/nonexistent/origin/tree' does not exist", err);
        Assert.Contains("Shield:Upstreams:Origins:1:Weight: must be between 0 (exclusive) and 1000, got 0", err);
        Assert.Contains("Shield:Upstreams:HealthCheck:Path: 'health' must start with '/'", err);
        Assert.Contains("Shield:Upstreams:HealthCheck:Method: must be GET or HEAD, got 'POST'", err);
        Assert.Contains("Shield:Upstreams:HealthCheck:Timeout: must not exceed Interval", err);
        Assert.Contains("Shield:Upstreams:HealthCheck:ExpectedStatus: '2xx' is not an HTTP status (100-599)", err);
        Assert.Contains("Shield:Polcy: unknown setting", err);
    }

    [Fact]
    public async Task The_shipped_configuration_checks_out_once_its_token_file_exists()
    {
        using var dir = new TempDirectory("shieldcfg");
        var shipped = Path.Combine(Path.GetDirectoryName(Daemons.Binary("OriginShield", "originshield"))!, "originshield.json");
        await File.WriteAllTextAsync(dir.Combine("admin.token"), Token + "\n");

        var (code, output, err) = await ExternalTool.RunAsync("dotnet", [Daemons.Binary("OriginShield", "originshield"), "--config", shipped, "--check-config"],
            TimeSpan.FromSeconds(60), workingDirectory: dir.Path);

        Assert.True(code == 0, err);
        Assert.Contains("originshield: configuration OK", output);
    }

    [Fact]
    public async Task A_shield_over_a_local_tree_serves_it_and_exports_origin_metrics_and_health()
    {
        using var dir = new TempDirectory("shieldproc");
        var tree = dir.Combine("published");
        Directory.CreateDirectory(Path.Combine(tree, "t1"));
        var segment = TestOrigin.Bytes(300_000);
        await File.WriteAllBytesAsync(Path.Combine(tree, "t1", "seg1.m4s"), segment);
        var http = FreePort.Tcp();
        var admin = FreePort.Tcp();
        var config = dir.Combine("originshield.json");
        await File.WriteAllTextAsync(config, $$"""
        {
          "Shield": {
            "NodeName": "shield-proc",
            "Listeners": { "Http": { "Address": "127.0.0.1", "Port": {{http}} }, "Admin": { "Port": {{admin}} } },
            "Admin": { "Tokens": [ "{{Token}}" ] },
            "Cache": { "Volumes": [ { "Path": "{{dir.Combine("vol")}}", "CapacityBytes": 67108864 } ], "Index": { "Directory": "{{dir.Combine("idx")}}", "MemoryBytes": 4194304, "PageBytes": 262144, "HashTableBytes": 1048576 } },
            "Upstreams": { "Origins": [ { "Url": "{{new Uri(tree).AbsoluteUri}}", "Name": "published" } ], "HealthCheck": { "Interval": "00:00:00.200", "Timeout": "00:00:00.200" } }
          }
        }
        """);
        using var shield = Daemons.Start(Daemons.Binary("OriginShield", "originshield"), config, dir.Combine("shield.log"));
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
            using var adminClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{admin}") };
            adminClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            await Daemons.EventuallyAsync(async () => (await adminClient.GetAsync("/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the shield to be ready");

            Assert.Equal(segment, await client.GetByteArrayAsync("/t1/seg1.m4s"));
            Assert.Equal(segment, await client.GetByteArrayAsync("/t1/seg1.m4s"));
            var metrics = await adminClient.GetStringAsync("/metrics");

            Assert.Contains("cdn_origin_requests_total{outcome=\"200\",service=\"shield\",upstream=\"published\"} 1", metrics);
            Assert.Contains("cdn_origin_body_bytes_total{service=\"shield\",upstream=\"published\"} 300000", metrics);
            Assert.Contains("cdn_http_response_body_bytes_total{service=\"shield\"} 600000", metrics);
            Assert.Contains("cdn_upstream_health{role=\"origin\",service=\"shield\",state=\"up\",upstream=\"published\"} 1", metrics);
            Assert.Contains("cdn_upstream_health_checks_total{result=\"pass\",service=\"shield\",upstream=\"published\"}", metrics);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"http://127.0.0.1:{admin}/metrics")).StatusCode);
            Assert.Equal(0, await Daemons.TerminateAsync(shield, TimeSpan.FromSeconds(30)));
        }
        finally
        {
            if (!shield.HasExited)
            {
                shield.Kill();
            }
        }
    }
}
