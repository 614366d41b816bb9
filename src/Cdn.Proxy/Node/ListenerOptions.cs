using Cdn.Hosting.Configuration;
using Cdn.Hosting.Tls;

namespace Cdn.Proxy.Node;

/// <summary>The listeners of a cache node.</summary>
public sealed class ListenerOptions : IValidatableOptions
{
    /// <summary>Cleartext HTTP for players and child caches (port 80 in production).</summary>
    public HttpListenerOptions? Http { get; set; } = new() { Port = 8080 };

    /// <summary>HTTPS (TLS 1.2/1.3, HTTP/1.1 and HTTP/2), when a certificate is configured (port 443 in production).</summary>
    public HttpsListenerOptions? Https { get; set; }

    /// <summary>The admin API (metrics, health, purge). Keep it on a management network.</summary>
    public EndpointOptions Admin { get; set; } = new() { Address = "127.0.0.1", Port = 9080 };

    /// <summary>
    /// Handle each connection on the socket I/O thread that saw its bytes arrive (one such thread per core, the
    /// worker model of nginx) instead of handing every read and write to the thread pool: no thread hand-off and
    /// no context switch per request. The cost: code that blocks (a read of a body the page cache no longer
    /// holds) holds up the other connections of that I/O thread, as it holds up an nginx worker. False restores
    /// .NET's default scheduling. Applies to the whole process (the runtime reads it once, at start).
    /// </summary>
    public bool InlineIo { get; set; } = true;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(Http is not null || Https is not null, path, "at least one of Http and Https is needed");
        Http?.Validate(OptionsErrors.Path(path, nameof(Http)), errors);
        Https?.Validate(OptionsErrors.Path(path, nameof(Https)), errors);
        Admin.Validate(OptionsErrors.Path(path, nameof(Admin)), errors);
        var ports = new[] { Http?.Port, Https?.Port, Admin.Port }.Where(p => p is > 0).ToList();
        errors.Require(ports.Count == ports.Distinct().Count(), path, "Http, Https and Admin must use different ports");
    }
}

/// <summary>The cleartext listener.</summary>
public sealed class HttpListenerOptions : IValidatableOptions
{
    /// <summary>Address.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>Port.</summary>
    public int Port { get; set; }

    /// <summary>Serve through the zero-copy path (sendfile); false serves through Kestrel's HTTP stack.</summary>
    public bool ZeroCopy { get; set; } = true;

    /// <summary>As an endpoint.</summary>
    public EndpointOptions Endpoint => new() { Address = Address, Port = Port };

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors) => Endpoint.Validate(path, errors);
}

/// <summary>The TLS listener.</summary>
public sealed class HttpsListenerOptions : IValidatableOptions
{
    /// <summary>Address.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>Port.</summary>
    public int Port { get; set; } = 8443;

    /// <summary>Certificate and key (reloaded when they change).</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Terminate TLS ourselves (an SslStream writing records straight to the socket) and serve HTTP/1.1-over-TLS
    /// connections with the fast path's HTTP engine (HTTP/2 connections, chosen by ALPN, always go to Kestrel's
    /// HTTP/2 stack). False: Kestrel's TLS layer and Kestrel's HTTP/1.1 and HTTP/2.
    /// </summary>
    public bool FastHttp1 { get; set; } = true;

    /// <summary>As an endpoint.</summary>
    public EndpointOptions Endpoint => new() { Address = Address, Port = Port };

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Endpoint.Validate(path, errors);
        Tls.Validate(OptionsErrors.Path(path, nameof(Tls)), errors);
    }
}
