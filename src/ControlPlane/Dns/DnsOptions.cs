using System.Net;
using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Dns;

/// <summary>The authoritative GeoDNS server (section <c>Dns</c>).</summary>
internal sealed class DnsOptions : IValidatableOptions
{
    /// <summary>Serve DNS at all (a replica may run API-only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>UDP and TCP address and port. Port 53 in production; 5353 on a laptop (no privileges needed); 0 picks one (tests).</summary>
    public EndpointOptions Listen { get; set; } = new() { Address = "127.0.0.1", Port = 5353 };

    public List<DnsZoneOptions> Zones { get; set; } = [];

    /// <summary>Most edge addresses in one answer; the set rotates over every routable address of the site.</summary>
    public int MaxAnswers { get; set; } = 4;

    public DnsTtlOptions Ttl { get; set; } = new();

    /// <summary>
    /// The EDNS payload size we advertise and honour, capped. 1232 (DNS flag day 2020) avoids IP fragmentation
    /// on any path; larger answers set TC and the resolver retries over TCP.
    /// </summary>
    public int UdpPayloadSize { get; set; } = 1232;

    /// <summary>UDP receive threads, each with its own SO_REUSEPORT socket; 0 = one per core.</summary>
    public int UdpThreads { get; set; }

    /// <summary>
    /// Datagrams each UDP thread moves per system call (recvmmsg/sendmmsg on 64-bit Linux). 32 keeps the
    /// batch in L2 and the added latency under a millisecond at full load; 1 uses one call per datagram.
    /// </summary>
    public int UdpBatchSize { get; set; } = 32;

    /// <summary>A TCP connection with no complete query for this long is closed (RFC 7766 §6.2.3 suggests seconds).</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Concurrent TCP connections; more are refused by closing them at once.</summary>
    public int MaxTcpConnections { get; set; } = 1024;

    /// <summary>Addresses answered when nothing registered is routable (e.g. a third-party CDN); may be empty.</summary>
    public List<string> LastResort { get; set; } = [];

    /// <summary>The parsed last-resort addresses.</summary>
    public IReadOnlyList<IPAddress> LastResortAddresses()
    {
        var all = new List<IPAddress>();
        foreach (var text in LastResort)
        {
            if (IPAddress.TryParse(text, out var address))
            {
                all.Add(address);
            }
        }

        return all;
    }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Listen.Validate(OptionsErrors.Path(path, nameof(Listen)), errors);
        if (Enabled)
        {
            errors.Require(Zones.Count > 0, OptionsErrors.Path(path, nameof(Zones)), "configure at least one zone (or set Enabled to false)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Zones.Count; i++)
        {
            var at = OptionsErrors.Path(path, $"{nameof(Zones)}:{i}");
            Zones[i].Validate(at, errors);
            if (Zones[i].Name.Length > 0 && !seen.Add(Zones[i].Qualify("@")))
            {
                errors.Add(OptionsErrors.Path(at, nameof(DnsZoneOptions.Name)), $"zone '{Zones[i].Name}' is configured twice");
            }
        }

        foreach (var outer in Zones)
        {
            foreach (var inner in Zones)
            {
                if (!ReferenceEquals(outer, inner) && outer.Name.Length > 0 && inner.Name.Length > 0
                    && outer.Qualify("@") != inner.Qualify("@") && outer.Contains(inner.Qualify("@")))
                {
                    errors.Add(OptionsErrors.Path(path, nameof(Zones)), $"zone '{inner.Name}' is inside zone '{outer.Name}': serve it as hosts of the outer zone instead");
                }
            }
        }

        errors.InRange(MaxAnswers, 1, 64, OptionsErrors.Path(path, nameof(MaxAnswers)));
        Ttl.Validate(OptionsErrors.Path(path, nameof(Ttl)), errors);
        errors.InRange(UdpPayloadSize, 512, 4096, OptionsErrors.Path(path, nameof(UdpPayloadSize)));
        errors.InRange(UdpThreads, 0, 64, OptionsErrors.Path(path, nameof(UdpThreads)));
        errors.InRange(UdpBatchSize, 1, 256, OptionsErrors.Path(path, nameof(UdpBatchSize)));
        errors.InRange(TcpIdleTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(TcpIdleTimeout)));
        errors.InRange(MaxTcpConnections, 1, 100000, OptionsErrors.Path(path, nameof(MaxTcpConnections)));
        for (var i = 0; i < LastResort.Count; i++)
        {
            if (!IPAddress.TryParse(LastResort[i], out _))
            {
                errors.Add(OptionsErrors.Path(path, $"{nameof(LastResort)}:{i}"), $"'{LastResort[i]}' is not an IP address");
            }
        }
    }
}
