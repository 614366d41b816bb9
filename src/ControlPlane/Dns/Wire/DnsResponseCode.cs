namespace Cdn.ControlPlane.Dns.Wire;

/// <summary>Response codes (RFC 1035 §4.1.1; BADVERS is extended, RFC 6891 §6.1.3).</summary>
internal enum DnsResponseCode : byte
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
    BadVers = 16,
}
