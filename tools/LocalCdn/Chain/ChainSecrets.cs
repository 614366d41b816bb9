using System.Security.Cryptography;

namespace LocalCdn.Chain;

/// <summary>
/// The bearer tokens of one run, fresh each time and kept in files (mode 0600) under the state directory:
/// the control plane's API token (edgectl, node agents, the packager's notifications), the nodes' admin token
/// (metrics, purges from the control plane), the packager's admin token.
/// </summary>
/// <param name="Directory">Where the token files are.</param>
/// <param name="ControlPlaneToken">Control-plane API token.</param>
/// <param name="NodeAdminToken">Every cache node's admin token.</param>
/// <param name="PackagerToken">Packager API token.</param>
public sealed record ChainSecrets(string Directory, string ControlPlaneToken, string NodeAdminToken, string PackagerToken)
{
    /// <summary>File holding <see cref="ControlPlaneToken"/>.</summary>
    public string ControlPlaneTokenFile => Path.Combine(Directory, "controlplane.token");

    /// <summary>File holding <see cref="NodeAdminToken"/>.</summary>
    public string NodeAdminTokenFile => Path.Combine(Directory, "node-admin.token");

    /// <summary>File holding <see cref="PackagerToken"/>.</summary>
    public string PackagerTokenFile => Path.Combine(Directory, "packager.token");

    /// <summary>New random tokens written to <paramref name="directory"/>.</summary>
    public static ChainSecrets Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var secrets = new ChainSecrets(directory, NewToken("cp"), NewToken("node"), NewToken("pkg"));
        Write(secrets.ControlPlaneTokenFile, secrets.ControlPlaneToken);
        Write(secrets.NodeAdminTokenFile, secrets.NodeAdminToken);
        Write(secrets.PackagerTokenFile, secrets.PackagerToken);
        return secrets;
    }

    private static string NewToken(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}";

    private static void Write(string path, string token)
    {
        File.WriteAllText(path, token + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
