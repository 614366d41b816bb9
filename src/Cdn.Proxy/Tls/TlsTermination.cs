using System.Buffers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Cdn.Hosting.Tls;
using Cdn.Proxy.FastPath;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Cdn.Proxy.Tls;

/// <summary>
/// The HTTPS listener's TLS layer, in place of Kestrel's: the handshake is the same (our certificate, TLS 1.2/1.3,
/// ALPN h2 and http/1.1), but the SslStream writes its records straight to the socket instead of through the
/// transport's output pipe. After the handshake, h2 connections go to Kestrel's HTTP/2 stack (through a duplex
/// pipe over the stream) and everything else to the fast HTTP/1.1 engine, which writes to the stream directly.
/// </summary>
internal sealed class TlsTermination
{
    /// <summary>Kestrel's default: a client that has not finished the handshake by then is dropped.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private static readonly List<SslApplicationProtocol> Protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private readonly ConnectionDelegate _http2;
    private readonly FastHttpConnectionHandler _fast;
    private readonly CertificateReloader _certificates;
    private readonly ILogger _logger;
    private HandshakeOptions? _current;

    public TlsTermination(ConnectionDelegate http2, FastHttpConnectionHandler fast, CertificateReloader certificates, ILogger logger)
    {
        _http2 = http2;
        _fast = fast;
        _certificates = certificates;
        _logger = logger;
    }

    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            ProxyLog.ConnectionAborted(_logger, connection.ConnectionId, "TLS termination needs a TCP socket");
            return;
        }

        var transport = new SocketTlsTransport(connection.Transport.Input, socket);
        var ssl = new SslStream(transport, leaveInnerStreamOpen: true);
        await using (ssl)
        {
            try
            {
                using var timeout = new CancellationTokenSource(HandshakeTimeout);
                await ssl.AuthenticateAsServerAsync(Options(), timeout.Token);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                ProxyLog.TlsHandshakeFailed(_logger, connection.ConnectionId, ex.Message);
                return;
            }

            var feature = new TlsConnectionFeature(ssl, ssl.TargetHostName);
            connection.Features.Set<ITlsConnectionFeature>(feature);
            connection.Features.Set<ITlsHandshakeFeature>(feature);
            connection.Features.Set<ITlsApplicationProtocolFeature>(feature);
            connection.Features.Set<ISslStreamFeature>(feature);
            var pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool ?? MemoryPool<byte>.Shared;
            var original = connection.Transport;
            var pipe = new SslDuplexPipe(ssl, pool, _logger);
            try
            {
                connection.Transport = pipe;
                if (ssl.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2)
                {
                    await _http2(connection);
                }
                else
                {
                    await _fast.OnTlsConnectedAsync(connection, ssl, socket);
                }
            }
            finally
            {
                await pipe.DisposeAsync();
                connection.Transport = original;
            }
        }
    }

    /// <summary>Handshake options for the certificate in use, rebuilt only when the certificate is reloaded.</summary>
    private SslServerAuthenticationOptions Options()
    {
        var certificate = _certificates.Current;
        var current = Volatile.Read(ref _current);
        if (current is not null && ReferenceEquals(current.Certificate, certificate))
        {
            return current.Options;
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ApplicationProtocols = Protocols,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
        };

        // One reference swapped atomically: a handshake never pairs a certificate with another one's options.
        Volatile.Write(ref _current, new HandshakeOptions(certificate, options));
        return options;
    }

    private sealed record HandshakeOptions(X509Certificate2 Certificate, SslServerAuthenticationOptions Options);
}
