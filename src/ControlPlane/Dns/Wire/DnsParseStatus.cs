namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>Outcome of parsing a query.</summary>
internal enum DnsParseStatus
{
    /// <summary>A well-formed query.</summary>
    Ok,

    /// <summary>Not answerable at all (shorter than a header, or a response): drop silently.</summary>
    Drop,

    /// <summary>Malformed: answer FORMERR.</summary>
    FormatError,

    /// <summary>Opcode other than QUERY: answer NOTIMP.</summary>
    NotImplemented,
}
