using Cdn.ControlPlane.Dns.Wire;
using Cdn.Hosting.Configuration;

namespace Cdn.ControlPlane.Dns;

/// <summary>One authoritative zone: its apex, the CDN host names steered inside it, its name servers and SOA.</summary>
internal sealed class DnsZoneOptions : IValidatableOptions
{
    /// <summary>Apex, e.g. <c>cdn.example</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Steered host names: relative (<c>video</c>), absolute inside the zone, or <c>@</c> for the apex.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Name servers (NS records); the first is the SOA primary.</summary>
    public List<NameServerOptions> NameServers { get; set; } = [];

    public SoaOptions Soa { get; set; } = new();

    /// <summary>A name in the zone from a relative or absolute name.</summary>
    public string Qualify(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var apex = Name.Trim().TrimEnd('.').ToLowerInvariant();
        var n = name.Trim().ToLowerInvariant();
        if (n is "@" or "")
        {
            return apex;
        }

        if (n.EndsWith('.'))
        {
            return n.TrimEnd('.');
        }

        return n == apex || n.EndsWith("." + apex, StringComparison.Ordinal) ? n : $"{n}.{apex}";
    }

    /// <summary>True when <paramref name="qualified"/> is the apex or below it.</summary>
    public bool Contains(string qualified)
    {
        ArgumentNullException.ThrowIfNull(qualified);
        var apex = Name.Trim().TrimEnd('.').ToLowerInvariant();
        return qualified == apex || qualified.EndsWith("." + apex, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.NotEmpty(Name, OptionsErrors.Path(path, nameof(Name))))
        {
            CheckName(Name, OptionsErrors.Path(path, nameof(Name)), errors);
        }

        errors.Require(Hosts.Count > 0, OptionsErrors.Path(path, nameof(Hosts)), "list at least one steered host name (e.g. \"video\")");
        for (var i = 0; i < Hosts.Count; i++)
        {
            var at = OptionsErrors.Path(path, $"{nameof(Hosts)}:{i}");
            var qualified = Qualify(Hosts[i]);
            if (CheckName(qualified, at, errors) && !Contains(qualified))
            {
                errors.Add(at, $"'{Hosts[i]}' is outside zone '{Name}'");
            }
        }

        errors.Require(NameServers.Count > 0, OptionsErrors.Path(path, nameof(NameServers)), "list at least one name server");
        for (var i = 0; i < NameServers.Count; i++)
        {
            var at = OptionsErrors.Path(path, $"{nameof(NameServers)}:{i}");
            NameServers[i].Validate(at, errors);
            var qualified = Qualify(NameServers[i].Name);
            if (NameServers[i].Name.Length > 0 && CheckName(qualified, OptionsErrors.Path(at, nameof(NameServerOptions.Name)), errors)
                && Contains(qualified) && NameServers[i].Addresses.Count == 0)
            {
                errors.Add(OptionsErrors.Path(at, nameof(NameServerOptions.Addresses)), $"name server '{qualified}' is inside the zone: give its addresses (glue)");
            }
        }

        Soa.Validate(OptionsErrors.Path(path, nameof(Soa)), errors);
        if (Soa.Mailbox.Length > 0)
        {
            CheckName(Qualify(Soa.Mailbox), OptionsErrors.Path(path, "Soa:Mailbox"), errors);
        }
    }

    private static bool CheckName(string name, string path, OptionsErrors errors)
    {
        try
        {
            DnsName.FromText(name);
            return true;
        }
        catch (FormatException ex)
        {
            errors.Add(path, ex.Message);
            return false;
        }
    }
}
