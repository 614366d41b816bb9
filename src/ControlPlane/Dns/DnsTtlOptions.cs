using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Dns;

/// <summary>TTLs in seconds per record type: short for steered answers (health changes must reach players fast), long for NS/SOA.</summary>
internal sealed class DnsTtlOptions : IValidatableOptions
{
    /// <summary>A/AAAA answers with edge addresses. 30 s: a drained or failed edge stops getting players within a resolver cache lifetime.</summary>
    public int Edge { get; set; } = 30;

    /// <summary>NS records and their glue.</summary>
    public int Ns { get; set; } = 86400;

    /// <summary>The SOA record itself.</summary>
    public int Soa { get; set; } = 3600;

    /// <summary>Negative caching (NXDOMAIN/NODATA), also the SOA minimum field (RFC 2308).</summary>
    public int Negative { get; set; } = 60;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.InRange(Edge, 0, 86400, OptionsErrors.Path(path, nameof(Edge)));
        errors.InRange(Ns, 0, 604800, OptionsErrors.Path(path, nameof(Ns)));
        errors.InRange(Soa, 0, 604800, OptionsErrors.Path(path, nameof(Soa)));
        errors.InRange(Negative, 0, 86400, OptionsErrors.Path(path, nameof(Negative)));
    }
}
