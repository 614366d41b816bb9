using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Dns;

/// <summary>The SOA record of a zone (RFC 1035 §3.3.13). The primary server is the first name server.</summary>
internal sealed class SoaOptions : IValidatableOptions
{
    /// <summary>Responsible mailbox as a name (<c>hostmaster.cdn.example</c>); relative names are completed with the zone.</summary>
    public string Mailbox { get; set; } = "hostmaster";

    /// <summary>Serial; bump it when the zone's static records change.</summary>
    public long Serial { get; set; } = 1;

    public int Refresh { get; set; } = 3600;

    public int Retry { get; set; } = 600;

    public int Expire { get; set; } = 1209600;

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.NotEmpty(Mailbox, OptionsErrors.Path(path, nameof(Mailbox)));
        errors.InRange(Serial, 0, uint.MaxValue, OptionsErrors.Path(path, nameof(Serial)));
        errors.InRange(Refresh, 1, int.MaxValue, OptionsErrors.Path(path, nameof(Refresh)));
        errors.InRange(Retry, 1, int.MaxValue, OptionsErrors.Path(path, nameof(Retry)));
        errors.InRange(Expire, 1, int.MaxValue, OptionsErrors.Path(path, nameof(Expire)));
    }
}
