using System.Text.RegularExpressions;
using Cdn.Hosting;

namespace Cdn.ControlPlane.Tests.Functional;

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>The daemon's <c>--check-config</c>: every bad setting reported with its path, exit 78; the README example is valid.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed partial class ConfigurationTests
{
    private static async Task<(int Code, string Errors)> CheckAsync(string json)
    {
        using var dir = new TempDirectory("cp-config");
        var path = dir.Combine("controlplane.json");
        await File.WriteAllTextAsync(path, json);
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        var (originalError, originalOut) = (Console.Error, Console.Out);
        Console.SetError(stderr);
        Console.SetOut(stdout);
        try
        {
            var code = await DaemonHost.RunAsync(ControlPlaneDaemon.Descriptor, ["--config", path, "--check-config"], ControlPlaneDaemon.Build);
            return (code, stderr.ToString());
        }
        finally
        {
            Console.SetError(originalError);
            Console.SetOut(originalOut);
        }
    }

    [Fact]
    public async Task Every_bad_setting_is_reported_with_its_path_and_the_exit_code_is_78()
    {
        var (code, errors) = await CheckAsync("""
            {
              "Auth": { "Tokens": [ "short" ] },
              "Health": { "MissedHeartbeats": 0 },
              "Registry": { "Sites": [ { "Name": "ams", "Fallbacks": [ "nowhere" ], "FillWindow": { "TimeZone": "Mars/Base" } } ], "DefaultSite": "x" },
              "Dns": {
                "Listen": { "Address": "not-an-ip", "Port": 53 },
                "Zones": [ { "Name": "cdn.test", "Hosts": [ "video.other.example." ], "NameServers": [ { "Name": "ns1" } ] } ],
                "MaxAnswers": 0,
                "LastResort": [ "nope" ],
                "Typo": 1
              }
            }
            """);

        Assert.Equal(DaemonHost.ConfigurationErrorExitCode, code);
        foreach (var expected in (string[])
        [
            "Auth:Tokens:0: a token must be at least 16 characters",
            "Health:MissedHeartbeats: must be between 1 and 100",
            "Registry:Sites:0:Fallbacks:0: 'nowhere' is not a configured site",
            "Registry:Sites:0:FillWindow:TimeZone: 'Mars/Base' is not a known time zone",
            "Registry:DefaultSite: 'x' is not a configured site",
            "Dns:Listen:Address: 'not-an-ip' is not an IP address",
            "Dns:Zones:0:Hosts:0: 'video.other.example.' is outside zone 'cdn.test'",
            "Dns:Zones:0:NameServers:0:Addresses: name server 'ns1.cdn.test' is inside the zone: give its addresses (glue)",
            "Dns:MaxAnswers: must be between 1 and 64",
            "Dns:LastResort:0: 'nope' is not an IP address",
            "Dns:Typo: unknown setting",
        ])
        {
            Assert.Contains($"controlplane: configuration error: {expected}", errors, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_example_configuration_in_the_readme_is_valid()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Daemons.RepositoryRoot, "src", "ControlPlane", "README.md"));
        var example = JsonBlock().Match(readme).Groups[1].Value;
        using var dir = new TempDirectory("cp-readme");
        // Its relative paths (state.db, czf.json) resolve against the working directory.
        var cwd = Environment.CurrentDirectory;
        Environment.CurrentDirectory = dir.Path;
        try
        {
            var (code, errors) = await CheckAsync(example);
            Assert.True(code == 0, errors);
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }

    [Fact]
    public async Task A_missing_api_certificate_is_a_configuration_error_not_a_crash()
    {
        // Under systemd a crash would restart in a loop; 78 is the exit code the unit does not restart on.
        using var dir = new TempDirectory("cp-cert");
        var (code, errors) = await CheckAsync($$"""
        {
          "Api": { "Listen": { "Address": "127.0.0.1", "Port": 0 }, "Tls": { "CertificatePath": "/nonexistent/api.crt", "KeyPath": "/nonexistent/api.key" } },
          "Auth": { "Tokens": [ "a-token-of-sixteen-chars" ] },
          "Database": { "Provider": "Embedded", "EmbeddedPath": "{{dir.Combine("state.db")}}" },
          "Dns": { "Enabled": false }
        }
        """);

        Assert.Equal(DaemonHost.ConfigurationErrorExitCode, code);
        Assert.Contains("TLS certificate '/nonexistent/api.crt' with key '/nonexistent/api.key' cannot be loaded", errors);
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
