using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Cdn.Hosting.Tls;

/// <summary>
/// Holds the server certificate loaded from PEM files and replaces it when the files change (checked on a
/// timer by size and modification time, which also catches atomic renames and symlink swaps by ACME
/// clients). A new certificate that fails to load (half-written file, key that does not match) is logged
/// and the previous one stays in use, so a bad deploy never takes HTTPS down.
/// </summary>
public sealed class CertificateReloader : IDisposable
{
    private readonly TlsOptions _options;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private X509Certificate2 _current;
    private (long Size, DateTime Modified, long KeySize, DateTime KeyModified) _stamp;

    /// <summary>Loads the certificate now and starts watching.</summary>
    /// <exception cref="DaemonConfigurationException">
    /// The files cannot be read or hold no usable certificate and key: a configuration error, which the daemon
    /// reports and exits on with code 78 (so systemd does not restart it in a loop).
    /// </exception>
    public CertificateReloader(TlsOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _logger = logger;
        _stamp = Stamp();
        try
        {
            _current = Load();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DaemonConfigurationException(
                $"TLS certificate '{options.CertificatePath}' with key '{options.KeyPath}' cannot be loaded: {ex.Message}", ex);
        }

        _timer = time.CreateTimer(_ => CheckForChange(), null, options.ReloadCheckInterval, options.ReloadCheckInterval);
    }

    /// <summary>The certificate in use; hand this to Kestrel's <c>ServerCertificateSelector</c>.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>Raised after a new certificate was loaded.</summary>
    public event Action<X509Certificate2>? Reloaded;

    /// <summary>Reloads when the files changed since the last load; returns true when a new certificate is in use.</summary>
    public bool CheckForChange()
    {
        var stamp = Stamp();
        if (stamp == _stamp)
        {
            return false;
        }

        try
        {
            var next = Load();
            _stamp = stamp;
            Volatile.Write(ref _current, next);
            Reloaded?.Invoke(next);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            HostingLog.CertificateReloadFailed(_logger, ex, _options.CertificatePath);
            return false;
        }
    }

    private X509Certificate2 Load()
    {
        using var ephemeral = X509Certificate2.CreateFromPemFile(_options.CertificatePath, _options.KeyPath);
        if (!ephemeral.HasPrivateKey)
        {
            throw new CryptographicException($"'{_options.KeyPath}' holds no private key for '{_options.CertificatePath}'");
        }

        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        HostingLog.CertificateLoaded(_logger, _options.CertificatePath, certificate.Subject, certificate.NotAfter.ToUniversalTime());
        return certificate;
    }

    private (long, DateTime, long, DateTime) Stamp()
    {
        var cert = new FileInfo(_options.CertificatePath);
        var key = new FileInfo(_options.KeyPath);
        return (cert.Exists ? cert.Length : -1, cert.Exists ? cert.LastWriteTimeUtc : default,
                key.Exists ? key.Length : -1, key.Exists ? key.LastWriteTimeUtc : default);
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
