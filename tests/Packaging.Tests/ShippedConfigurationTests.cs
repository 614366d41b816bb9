using Packaging.Tests.Support;

namespace Packaging.Tests;

/// <summary>
/// Every package installed side by side: each daemon accepts its shipped configuration as its own user (so the
/// secrets postinst made are readable to it and nobody else), and systemd-analyze verifies each unit in place.
/// </summary>
[Collection(nameof(DpkgCollection))]
public sealed class ShippedConfigurationTests(DebPackages debs) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        Dpkg.RequireRoot();
        await Dpkg.PurgeIfPresentAsync([.. debs.Table.Packages]);
        await Dpkg.InstallAsync([.. debs.Table.Packages.Select(p => debs.Deb(p))]);
    }

    public async Task DisposeAsync() => await Dpkg.PurgeIfPresentAsync([.. debs.Table.Packages]);

    [Fact]
    public async Task Each_daemon_accepts_its_shipped_configuration_as_its_own_user()
    {
        foreach (var package in debs.Table.Packages)
        {
            var daemon = debs.Table.Daemon(package);
            var (code, stdout, stderr) = await ExternalTool.RunAsync("setpriv",
                [$"--reuid={package}", $"--regid={package}", "--init-groups", "--", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", $"/usr/bin/{daemon}", "--check-config"],
                TimeSpan.FromMinutes(2));

            Assert.True(code == 0, $"{daemon} --check-config with /etc/edgenode/{package}.json ({code}):\n{stdout}\n{stderr}");
            Assert.Contains($"{daemon}: configuration OK", stdout);
        }
    }

    [Fact]
    public async Task Another_user_cannot_read_the_secrets_postinst_generated_and_is_told_so()
    {
        foreach (var package in debs.Table.Packages)
        {
            var daemon = debs.Table.Daemon(package);
            var (code, stdout, stderr) = await ExternalTool.RunAsync("setpriv",
                ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", "env", "-i", $"/usr/bin/{daemon}", "--check-config"], TimeSpan.FromMinutes(2));

            Assert.True(code == 78, $"{daemon} as nobody ({code}):\n{stdout}\n{stderr}");
            Assert.Matches($"{daemon}: configuration error: .*'/etc/edgenode/[^']+' cannot be (read|loaded)", stderr);
        }
    }

    [Fact]
    public async Task Systemd_analyze_verifies_every_installed_unit()
    {
        ExternalTool.Require("systemd-analyze", "systemd");
        ExternalTool.Require("man", "man-db"); // verify checks each unit's Documentation=man: page
        foreach (var package in debs.Table.Packages)
        {
            var unit = $"/lib/systemd/system/{debs.Table.Daemon(package)}.service";
            var (code, stdout, stderr) = await ExternalTool.RunAsync("systemd-analyze", ["verify", unit], TimeSpan.FromMinutes(2));

            Assert.True(code == 0 && stderr.Trim().Length == 0, $"systemd-analyze verify {unit} ({code}):\n{stdout}\n{stderr}");
        }
    }
}
