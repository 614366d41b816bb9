using System.Globalization;
using System.Text.Json.Nodes;
using Cdn.Contracts.Fill;
using LocalCdn.Chain;
using LocalCdn.External;
using LocalCdn.Nodes;

namespace LocalCdn.Tests;

public sealed class ChainConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new("localcdn");
    private readonly Topology _topology;
    private readonly ChainSecrets _secrets;

    public ChainConfigurationTests()
    {
        _topology = Topology.Create(_dir.Combine("state"));
        _secrets = ChainSecrets.Create(_topology.SecretsDirectory);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("2026-11-21T10:30:00Z")]
    [InlineData("2026-11-21T00:10:00Z")]
    [InlineData("2026-11-21T23:59:30Z")]
    [InlineData("2026-11-21T00:59:59Z")]
    public void The_fill_window_is_open_now_and_for_the_next_22_hours(string now)
    {
        var at = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture);
        var (start, end) = ChainConfiguration.FillWindowAround(at);
        var window = new FillWindow(TimeOnly.Parse(start, CultureInfo.InvariantCulture), TimeOnly.Parse(end, CultureInfo.InvariantCulture), "UTC");

        for (var hours = 0; hours <= 22; hours++)
        {
            Assert.True(window.Contains(TimeOnly.FromDateTime(at.UtcDateTime.AddHours(hours))), $"closed {hours} h after {now} ({start}-{end})");
        }
    }

    [Fact]
    public void Each_site_has_its_client_network_in_the_coverage_zone_file()
    {
        var czf = ChainConfiguration.CoverageZones(_topology);

        Assert.Equal("10.1.0.0/16", czf["coverageZones"]!["ams"]!["network"]![0]!.GetValue<string>());
        Assert.Equal("10.2.0.0/16", czf["coverageZones"]!["fra"]!["network"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Edges_list_every_shield_as_a_parent_by_the_same_names_with_probes()
    {
        var ams = ChainConfiguration.Edge(_topology, _topology.EdgeOf("ams"), _secrets);
        var fra = ChainConfiguration.Edge(_topology, _topology.EdgeOf("fra"), _secrets);

        Assert.Equal(["shield-1", "shield-2"], ams.Parents.Select(p => p.Name));
        Assert.Equal(ams.Parents, fra.Parents);
        Assert.All(ams.Parents, p => Assert.EndsWith("/readyz", p.HealthCheckUrl!.AbsolutePath, StringComparison.Ordinal));
        Assert.Equal("127.0.0.11", ams.Address);
        Assert.Contains("video.cdn.test", ams.CertificateNames);
        Assert.Equal("video.cdn.test", ams.Fill!["Host"]!.GetValue<string>());
        Assert.Equal("127.0.0.11", ams.ControlPlane!["Addresses"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Shields_serve_the_origin_tree_the_packager_publishes_to()
    {
        var shield = ChainConfiguration.Shield(_topology, _topology.Shields[0], _secrets);
        var packager = ChainConfiguration.Packager(_topology, _secrets);

        Assert.Equal(new Uri(_topology.OriginRoot + "/").AbsoluteUri, Assert.Single(shield.Origins));
        Assert.Equal(_topology.OriginRoot, packager["Packager"]!["OriginRoot"]!.GetValue<string>());
        Assert.False(shield.Https);
    }

    // The generated files pass each daemon's own validation (every field, unknown keys refused).
    [Fact]
    public async Task Every_generated_configuration_passes_its_daemons_check_config()
    {
        var files = new List<(string Dll, string Path)>();
        // The chain creates these before it starts the daemons (LocalCdnChain.PrepareStateDirectory).
        foreach (var dir in new[] { _topology.ControlPlaneDirectory, _topology.PackagerDirectory, _topology.OriginRoot })
        {
            Directory.CreateDirectory(dir);
        }

        await File.WriteAllTextAsync(ChainConfiguration.CoverageZoneFilePath(_topology), ChainConfiguration.CoverageZones(_topology).ToJsonString());
        files.Add((DaemonBinary.ControlPlane, await WriteAsync("controlplane.json", ChainConfiguration.ControlPlane(_topology, _secrets, DateTimeOffset.UtcNow))));
        files.Add((DaemonBinary.Packager, await WriteAsync("packager.json", ChainConfiguration.Packager(_topology, _secrets))));
        var shield = ChainConfiguration.Shield(_topology, _topology.Shields[0], _secrets);
        files.Add((shield.Daemon.Dll, await WriteAsync("shield.json", CacheNodeConfiguration.Build(shield, shield.Ports!, null))));
        var edge = ChainConfiguration.Edge(_topology, _topology.Edges[0], _secrets);
        var authority = Cdn.Hosting.Tls.DevCertificateAuthority.EnsureAuthority(_dir.Combine("ca"));
        var tls = Cdn.Hosting.Tls.DevCertificateAuthority.IssueServerCertificate(authority, _dir.Combine("tls"), "edge", ["video.cdn.test"]);
        var edgeConfig = CacheNodeConfiguration.Build(edge, edge.Ports!, tls);
        files.Add((edge.Daemon.Dll, await WriteAsync("edge.json", edgeConfig)));

        foreach (var (dll, path) in files)
        {
            var args = new List<string> { dll, "--config", path, "--check-config" };
            if (path.EndsWith("edge.json", StringComparison.Ordinal))
            {
                args.AddRange(edge.Overrides.Select(kv => $"--Edge:{kv.Key}={kv.Value}"));
            }

            var result = await Command.RunAsync("dotnet", args, TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, $"{Path.GetFileName(dll)} --check-config {path}: exit {result.ExitCode}\n{result.StdOut}{result.StdErr}");
        }
    }

    private async Task<string> WriteAsync(string name, JsonObject json)
    {
        var path = _dir.Combine(name);
        await File.WriteAllTextAsync(path, json.ToJsonString());
        return path;
    }
}
