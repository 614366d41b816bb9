using System.Net;
using Cdn.Contracts.Nodes;
using Cdn.Hosting.Configuration;

namespace Cdn.NodeAgent;

/// <summary>How a node reaches the control plane and what it registers as (section <c>ControlPlane</c> in the node's config).</summary>
public sealed class NodeAgentOptions : IValidatableOptions
{
    /// <summary>Base URL of the control plane API, e.g. <c>https://cp.cdn.example:8443/</c>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080/";

    /// <summary>Bearer token (or use <see cref="TokenFile"/>).</summary>
    public string? Token { get; set; }

    /// <summary>File whose first non-comment line is the token, re-read per request.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Stable unique node name, e.g. <c>edge-ams-01</c>.</summary>
    public string NodeId { get; set; } = "";

    public NodeRole Role { get; set; } = NodeRole.Edge;

    public string Site { get; set; } = "";

    /// <summary>Public addresses players (or edges) reach the node on.</summary>
    public List<string> Addresses { get; set; } = [];

    public double CapacityGbps { get; set; } = 10;

    /// <summary>Base URL of the node's admin API (purge, fill control), if reachable from the control plane.</summary>
    public string? AdminUrl { get; set; }

    /// <summary>Base URL of the node's cleartext cache listener, for peer edges of its site to fill from (unset: peers do not use it).</summary>
    public string? CacheUrl { get; set; }

    /// <summary>Heartbeat period; unset uses what the control plane says at registration.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>First retry delay while the control plane is unreachable; doubles up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Per request. Short: a slow control plane must not stall the heartbeat rhythm.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the final draining heartbeat may take at shutdown.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The token from <see cref="Token"/> or <see cref="TokenFile"/>.</summary>
    public string ResolveToken()
    {
        if (!string.IsNullOrWhiteSpace(Token))
        {
            return Token.Trim();
        }

        return Cdn.Hosting.Security.TokenFile.ReadFirst(TokenFile) ?? "";
    }

    /// <inheritdoc />
    public void Validate(string path, OptionsErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(OptionsErrors.Path(path, nameof(Url)), $"'{Url}' is not an http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(Token) && (string.IsNullOrEmpty(TokenFile) || !File.Exists(TokenFile)))
        {
            errors.Add(path, "set Token or TokenFile (an existing file): the control plane API needs a bearer token");
        }

        errors.NotEmpty(NodeId, OptionsErrors.Path(path, nameof(NodeId)));
        errors.NotEmpty(Site, OptionsErrors.Path(path, nameof(Site)));
        errors.Require(Addresses.Count > 0, OptionsErrors.Path(path, nameof(Addresses)), "list the addresses players reach this node on");
        for (var i = 0; i < Addresses.Count; i++)
        {
            if (!IPAddress.TryParse(Addresses[i], out _))
            {
                errors.Add(OptionsErrors.Path(path, $"{nameof(Addresses)}:{i}"), $"'{Addresses[i]}' is not an IP address");
            }
        }

        if (AdminUrl is not null && !Uri.TryCreate(AdminUrl, UriKind.Absolute, out _))
        {
            errors.Add(OptionsErrors.Path(path, nameof(AdminUrl)), $"'{AdminUrl}' is not an absolute URL");
        }

        if (CacheUrl is not null && (!Uri.TryCreate(CacheUrl, UriKind.Absolute, out var cache) || cache.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(OptionsErrors.Path(path, nameof(CacheUrl)), $"'{CacheUrl}' is not an http:// URL");
        }

        if (HeartbeatInterval is { } every)
        {
            errors.InRange(every, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), OptionsErrors.Path(path, nameof(HeartbeatInterval)));
        }

        errors.InRange(RetryMin, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), OptionsErrors.Path(path, nameof(RetryMin)));
        errors.InRange(RetryMax, RetryMin, TimeSpan.FromHours(1), OptionsErrors.Path(path, nameof(RetryMax)));
        errors.InRange(RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), OptionsErrors.Path(path, nameof(RequestTimeout)));
        errors.InRange(StopTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(1), OptionsErrors.Path(path, nameof(StopTimeout)));
    }
}
