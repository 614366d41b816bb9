using Packager.Tests.Support;

namespace Packager.Tests.Api;

/// <summary>The daemon's configuration as an operator meets it: laptop defaults, and every error named at start.</summary>
public sealed class DaemonConfigurationTests
{
    [Fact]
    public async Task With_only_a_token_the_laptop_defaults_are_a_valid_configuration()
    {
        var (code, stdout, stderr) = await PackagerProcess.RunAsync("--check-config", $"--Admin:Tokens:0={PackagerHost.Token}");

        Assert.True(code == 0, stderr);
        Assert.Contains("packager: configuration OK", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_without_a_token_or_with_bad_settings_refuses_to_start_naming_each_error()
    {
        var (code, _, stderr) = await PackagerProcess.RunAsync(
            "--check-config",
            "--Packager:Workers=0",
            "--Packager:OriginRoot=/nonexistent/dir/origin",
            "--Database:Provider=PostgreSql",
            "--ControlPlane:Url=not a url",
            "--ControlPlane:Token=t",
            "--WatchFolder:Path=/nonexistent/drop",
            "--Encoding:Profiles:default:Rungs:0:Name=360p",
            "--Encoding:Profiles:default:Rungs:0:Height=360");

        Assert.Equal(78, code);
        foreach (var expected in new[]
        {
            "packager: configuration error: Admin: no bearer token configured",
            "Packager:Workers: must be between 1 and 64, got 0",
            "Packager:OriginRoot: parent directory '/nonexistent/dir' does not exist",
            "Database:ConnectionString: must be set",
            "ControlPlane:Url: 'not a url' is not an http(s) URL",
            "WatchFolder:Path: directory '/nonexistent/drop' does not exist",
            "Encoding:Profiles:default:Rungs:0:BitrateKbps: must be between 64 and 200000, got 0",
        })
        {
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
        }
    }
}
