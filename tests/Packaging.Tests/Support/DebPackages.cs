namespace Packaging.Tests.Support;

/// <summary>
/// The packages under test, built once per test run by packaging/deb/build.sh into a temporary directory:
/// every package of packaging/deb/packages at revision 1, and the edgenode package again at revision 2 from
/// the same binaries (the upgrade test's version N+1).
/// </summary>
public sealed class DebPackages : IDisposable
{
    /// <summary>
    /// Names a directory of packages build.sh made earlier, to iterate on these tests without rebuilding (it must
    /// hold revision 1 of every package and revision 2 of edgenode). CI never sets it: it builds afresh.
    /// </summary>
    public const string PrebuiltVariable = "PACKAGING_TESTS_DEBS";

    private readonly TempDirectory _dir = new("debpkgs");
    private readonly string _debs;

    public DebPackages()
    {
        RepositoryRoot = Daemons.RepositoryRoot;
        Table = PackageTable.Read(Path.Combine(RepositoryRoot, "packaging", "deb", "packages"));
        UpstreamVersion = ReadVersion(Path.Combine(RepositoryRoot, "Directory.Build.props"));
        if (Environment.GetEnvironmentVariable(PrebuiltVariable) is { Length: > 0 } prebuilt)
        {
            _debs = prebuilt;
            return;
        }

        _debs = _dir.Path;
        var build = Path.Combine(RepositoryRoot, "packaging", "deb", "build.sh");
        Run(build, ["--output", _dir.Path, "--no-lintian"], TimeSpan.FromMinutes(40));
        Run(build, ["--output", _dir.Path, "--no-lintian", "--no-publish", "--package", "edgenode", "--revision", "2"], TimeSpan.FromMinutes(10));
    }

    public string RepositoryRoot { get; }

    public PackageTable Table { get; }

    /// <summary>&lt;Version&gt; of Directory.Build.props.</summary>
    public string UpstreamVersion { get; }

    /// <summary>The Debian version of <paramref name="revision"/>.</summary>
    public string Version(int revision = 1) => $"{UpstreamVersion}-{revision}";

    /// <summary>Path of the .deb of <paramref name="package"/> at <paramref name="revision"/>.</summary>
    public string Deb(string package, int revision = 1)
    {
        var path = Path.Combine(_debs, $"{package}_{Version(revision)}_amd64.deb");
        Assert.True(File.Exists(path), $"build.sh made no {path}");
        return path;
    }

    private static void Run(string script, string[] args, TimeSpan timeout)
    {
        var (code, stdout, stderr) = ExternalTool.RunAsync(script, args, timeout).GetAwaiter().GetResult();
        if (code != 0)
        {
            throw new InvalidOperationException($"packaging/deb/build.sh {string.Join(' ', args)} failed ({code}):\n{stdout}\n{stderr}");
        }
    }


    private static string ReadVersion(string props)
    {
        var match = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(props), "<Version>([^<]+)</Version>");
        Assert.True(match.Success, "no <Version> in Directory.Build.props");
        return match.Groups[1].Value;
    }

    public void Dispose() => _dir.Dispose();
}
