namespace LocalCdn.Nodes;

/// <summary>The repository's daemons as built beside the running assembly (same configuration: the tool or the tests), run with <c>dotnet</c>.</summary>
public static class DaemonBinary
{
    /// <summary>The packager.</summary>
    public static string Packager => Path("Packager", "packager");

    /// <summary>The control plane.</summary>
    public static string ControlPlane => Path("ControlPlane", "controlplane");

    /// <summary>edgectl, the operators' CLI.</summary>
    public static string EdgeCtl => Path("ControlPlane.Cli", "edgectl");

    /// <summary>
    /// <c>src/&lt;project&gt;/bin/&lt;configuration&gt;/net10.0/&lt;assembly&gt;.dll</c>; fails naming the path when it is
    /// not built (tools/LocalCdn references every daemon project, so building it or the solution builds them).
    /// </summary>
    public static string Path(string project, string assembly)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var path = System.IO.Path.Combine(RepositoryRoot, "src", project, "bin", configuration, "net10.0", assembly + ".dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{assembly} is not built at {path}");
    }

    /// <summary>The directory holding EdgeNode.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "EdgeNode.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException($"no EdgeNode.sln above {AppContext.BaseDirectory}");
        }
    }
}
