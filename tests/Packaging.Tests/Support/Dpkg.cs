namespace Packaging.Tests.Support;

/// <summary>dpkg on this machine, as an operator runs it (non-interactive, as root).</summary>
public static class Dpkg
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Fails the test unless it runs as root (dpkg, users, ports 80/443): CI does.</summary>
    public static void RequireRoot()
        => Assert.True(Environment.UserName == "root",
            "the package tests install packages with dpkg: run them as root (CI and eng/test.sh do)");

    /// <summary><c>dpkg -i</c> the given .deb files; fails with dpkg's output when it fails.</summary>
    public static async Task InstallAsync(params string[] debs) => await RunAsync(["--install", .. debs]);

    public static async Task RemoveAsync(string package) => await RunAsync(["--remove", package]);

    public static async Task PurgeAsync(string package) => await RunAsync(["--purge", package]);

    /// <summary>Purges <paramref name="packages"/> if any trace of them is installed (a previous run may have died).</summary>
    public static async Task PurgeIfPresentAsync(params string[] packages)
    {
        foreach (var package in packages)
        {
            if (await StatusAsync(package) is not null)
            {
                await PurgeAsync(package);
            }
        }
    }

    /// <summary>The package's dpkg status (e.g. "install ok installed", "deinstall ok config-files"), or null.</summary>
    public static async Task<string?> StatusAsync(string package)
    {
        var (code, stdout, _) = await ExternalTool.RunAsync("dpkg-query", ["--show", "--showformat=${Status}", package], Timeout);
        return code == 0 && stdout.Trim() is { Length: > 0 } status && status != "unknown ok not-installed" ? status : null;
    }

    public static async Task<string> VersionAsync(string package)
    {
        var (code, stdout, stderr) = await ExternalTool.RunAsync("dpkg-query", ["--show", "--showformat=${Version}", package], Timeout);
        Assert.True(code == 0, stderr);
        return stdout.Trim();
    }

    private static async Task RunAsync(string[] args)
    {
        Environment.SetEnvironmentVariable("DEBIAN_FRONTEND", "noninteractive");
        var (code, stdout, stderr) = await ExternalTool.RunAsync("dpkg", args, Timeout);
        Assert.True(code == 0, $"dpkg {string.Join(' ', args)} failed ({code}):\n{stdout}\n{stderr}");
    }
}
