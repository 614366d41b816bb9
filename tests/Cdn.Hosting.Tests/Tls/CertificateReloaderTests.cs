using Cdn.Hosting.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdn.Hosting.Tests.Tls;

public sealed class CertificateReloaderTests
{
    [Fact]
    public void A_changed_certificate_is_picked_up_and_a_broken_one_is_ignored()
    {
        using var dir = new TempDirectory("tls");
        var ca = DevCertificateAuthority.EnsureAuthority(dir.Path);
        var options = DevCertificateAuthority.IssueServerCertificate(ca, dir.Path, "server", ["localhost", "127.0.0.1"]);
        var time = new FakeTimeProvider();
        using var reloader = new CertificateReloader(options, time, NullLogger.Instance);
        var first = reloader.Current.Thumbprint;

        DevCertificateAuthority.IssueServerCertificate(ca, dir.Path, "server", ["localhost", "edge.test"]);
        File.SetLastWriteTimeUtc(options.CertificatePath, DateTime.UtcNow.AddSeconds(5));
        time.Advance(options.ReloadCheckInterval);
        var second = reloader.Current.Thumbprint;
        Assert.NotEqual(first, second);

        File.WriteAllText(options.CertificatePath, "-----BEGIN CERTIFICATE-----\nnot base64\n");
        Assert.False(reloader.CheckForChange());
        Assert.Equal(second, reloader.Current.Thumbprint);
        Assert.True(reloader.Current.HasPrivateKey);
    }

    [Fact]
    public void A_missing_or_broken_certificate_at_start_is_a_configuration_error()
    {
        using var dir = new TempDirectory("tls");
        var options = new TlsOptions { CertificatePath = dir.Combine("absent.pem"), KeyPath = dir.Combine("absent.key") };
        var missing = Assert.Throws<DaemonConfigurationException>(() => new CertificateReloader(options, new FakeTimeProvider(), NullLogger.Instance));
        Assert.Contains("absent.pem", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(options.CertificatePath, "-----BEGIN CERTIFICATE-----\nnot base64\n");
        File.WriteAllText(options.KeyPath, "not a key");
        Assert.Throws<DaemonConfigurationException>(() => new CertificateReloader(options, new FakeTimeProvider(), NullLogger.Instance));
    }

    [Fact]
    public void The_issued_certificate_names_every_host_and_chains_to_the_authority()
    {
        using var dir = new TempDirectory("tls");
        var ca = DevCertificateAuthority.EnsureAuthority(dir.Path);
        var options = DevCertificateAuthority.IssueServerCertificate(ca, dir.Path, "edge", ["edge.test", "127.0.0.1"]);

        using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
        Assert.True(cert.MatchesHostname("edge.test"));
        Assert.True(cert.MatchesHostname("127.0.0.1"));
        using var caCert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(ca.CertificatePath));
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(caCert);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        Assert.True(chain.Build(cert));
    }
}
