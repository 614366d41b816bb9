using System.Net;
using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Dns;

/// <summary>A name server of a zone; addresses are served as glue when the name is inside the zone.</summary>
internal sealed class NameServerOptions : IValidatableOptions
{
    /// <summary>Host name (<c>ns1.cdn.example</c>, or relative <c>ns1</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>IPv4/IPv6 addresses (required when the name is inside the zone).</summary>
    public List<string> Addresses { get; set; } = [];

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.NotEmpty(Name, OptionsErrors.Path(path, nameof(Name)));
        for (var i = 0; i < Addresses.Count; i++)
        {
            if (!IPAddress.TryParse(Addresses[i], out _))
            {
                errors.Add(OptionsErrors.Path(path, $"{nameof(Addresses)}:{i}"), $"'{Addresses[i]}' is not an IP address");
            }
        }
    }
}
