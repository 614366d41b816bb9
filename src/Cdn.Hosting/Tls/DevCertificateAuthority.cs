using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cdn.Hosting.Tls;

/// <summary>
/// Makes a private CA and server certificates signed by it, as PEM files, for a laptop or test CDN
/// (players trust the CA file; production uses certificates from the ISP's own PKI or ACME).
/// </summary>
public static class DevCertificateAuthority
{
    /// <summary>Paths of a written CA.</summary>
    public sealed record Authority(string CertificatePath, string KeyPath);

    /// <summary>Creates <c>ca.pem</c> and <c>ca.key</c> in <paramref name="directory"/> unless both exist.</summary>
    public static Authority EnsureAuthority(string directory, string name = "EdgeNode Dev CA")
    {
        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, "ca.pem");
        var keyPath = Path.Combine(directory, "ca.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return new Authority(certPath, keyPath);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        WriteAtomically(certPath, ca.ExportCertificatePem());
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new Authority(certPath, keyPath);
    }

    /// <summary>Issues a server certificate for <paramref name="hostNames"/> (DNS names or IP literals) signed by the CA.</summary>
    public static TlsOptions IssueServerCertificate(Authority authority, string directory, string fileStem, IEnumerable<string> hostNames)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(hostNames);
        Directory.CreateDirectory(directory);
        using var caCert = X509Certificate2.CreateFromPemFile(authority.CertificatePath, authority.KeyPath);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = hostNames.ToList();
        var request = new CertificateRequest($"CN={names.FirstOrDefault() ?? "localhost"}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(caCert, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), serial);
        var certPath = Path.Combine(directory, fileStem + ".pem");
        var keyPath = Path.Combine(directory, fileStem + ".key");
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem());
        WriteAtomically(certPath, issued.ExportCertificatePem() + "\n" + caCert.ExportCertificatePem());
        return new TlsOptions { CertificatePath = certPath, KeyPath = keyPath };
    }

    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
