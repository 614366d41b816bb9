using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Cdn.Proxy.Tls;

/// <summary>What Kestrel (HTTP/2: protocol choice by ALPN, TLS version checks) and the fast path learn about a connection we terminated.</summary>
internal sealed class TlsConnectionFeature : ITlsConnectionFeature, ITlsHandshakeFeature, ITlsApplicationProtocolFeature, ISslStreamFeature
{
    private readonly SslStream _stream;

    public TlsConnectionFeature(SslStream stream, string hostName)
    {
        _stream = stream;
        HostName = hostName;
        ApplicationProtocol = stream.NegotiatedApplicationProtocol.Protocol;
        Protocol = stream.SslProtocol;
        NegotiatedCipherSuite = stream.NegotiatedCipherSuite;
#pragma warning disable SYSLIB0058 // Kestrel's HTTP/2 still reads the legacy algorithm fields of ITlsHandshakeFeature.
        CipherAlgorithm = stream.CipherAlgorithm;
        CipherStrength = stream.CipherStrength;
        HashAlgorithm = stream.HashAlgorithm;
        HashStrength = stream.HashStrength;
        KeyExchangeAlgorithm = stream.KeyExchangeAlgorithm;
        KeyExchangeStrength = stream.KeyExchangeStrength;
#pragma warning restore SYSLIB0058
    }

    public SslStream SslStream => _stream;

    public X509Certificate2? ClientCertificate { get; set; }

    public ReadOnlyMemory<byte> ApplicationProtocol { get; }

    public SslProtocols Protocol { get; }

    public TlsCipherSuite? NegotiatedCipherSuite { get; }

    public string HostName { get; }

#pragma warning disable SYSLIB0058 // see the constructor
    public CipherAlgorithmType CipherAlgorithm { get; }

    public int CipherStrength { get; }

    public HashAlgorithmType HashAlgorithm { get; }

    public int HashStrength { get; }

    public ExchangeAlgorithmType KeyExchangeAlgorithm { get; }

    public int KeyExchangeStrength { get; }
#pragma warning restore SYSLIB0058

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
}
