using System.Net;

namespace Cdn.Hosting.Configuration;

/// <summary>An address and port to listen on.</summary>
public sealed class EndpointOptions : IValidatableOptions
{
    /// <summary>IP address, <c>*</c> or <c>0.0.0.0</c> for all IPv4, <c>::</c> for all (dual stack).</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP or UDP port; 0 picks a free port (tests).</summary>
    public int Port { get; set; }

    /// <summary>The address as an <see cref="IPAddress"/>.</summary>
    public IPAddress IPAddress => Address is "*" or "" ? IPAddress.Any : IPAddress.Parse(Address);

    /// <summary>The endpoint.</summary>
    public IPEndPoint EndPoint => new(IPAddress, Port);

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Address is not ("*" or "") && !IPAddress.TryParse(Address, out _))
        {
            errors.Add(OptionsErrors.Path(path, nameof(Address)), $"'{Address}' is not an IP address (use 0.0.0.0, :: or a literal address)");
        }

        errors.InRange(Port, 0, 65535, OptionsErrors.Path(path, nameof(Port)));
    }
}
