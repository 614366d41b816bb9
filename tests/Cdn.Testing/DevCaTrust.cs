using System.Security.Cryptography.X509Certificates;

namespace Cdn.Testing;

/// <summary>Server-certificate validation for test clients that trusts exactly one dev CA (and nothing else).</summary>
public static class DevCaTrust
{
    /// <summary>True when <paramref name="certificate"/> chains to the CA certificate in <paramref name="caPath"/>.</summary>
    public static bool Validates(string caPath, X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is null || chain is null)
        {
            return false;
        }

        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(caPath));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }
}
