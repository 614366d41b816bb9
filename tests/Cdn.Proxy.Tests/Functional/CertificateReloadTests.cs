using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cdn.Hosting.Tls;

namespace Cdn.Proxy.Tests.Functional;

public sealed class CertificateReloadTests
{
    [Fact]
    public async Task A_renewed_certificate_is_served_without_a_restart()
    {
        using var dir = new TempDirectory("certs");
        await using var origin = await TestOrigin.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var edge = await TestEdge.StartAsync(dir.Path, [origin.Url], time: time, https: true);
        var first = await ServerCertificateAsync(edge);

        // Renew: same paths, new certificate (as an ACME client would), then the reload check runs.
        var ca = DevCertificateAuthority.EnsureAuthority(Path.Combine(dir.Path, "tls"));
        DevCertificateAuthority.IssueServerCertificate(ca, Path.Combine(dir.Path, "tls"), "edge", ["localhost", "127.0.0.1", "renewed.test"]);
        File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "tls", "edge.pem"), DateTime.UtcNow.AddMinutes(1));
        time.Advance(TimeSpan.FromSeconds(10));
        var second = await ServerCertificateAsync(edge);

        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        Assert.True(second.MatchesHostname("renewed.test"));
    }

    private static async Task<X509Certificate2> ServerCertificateAsync(TestEdge edge)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, edge.HttpsPort!.Value);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, chain, _) => edge.TrustsDevCa(certificate, chain));
        await tls.AuthenticateAsClientAsync("localhost");
        return new X509Certificate2(tls.RemoteCertificate!);
    }
}
