using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cdn.Contracts;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Routing;

namespace Cdn.NodeAgent;

/// <summary>
/// Typed client of the control-plane v1 API (<see cref="ControlPlaneRoutes"/>): JSON through
/// <see cref="CdnJson"/>, bearer token on every request, errors as <see cref="ControlPlaneException"/>
/// carrying the server's problem detail. Thread-safe; one instance per control plane.
/// </summary>
public sealed partial class ControlPlaneClient
{
    private readonly HttpClient _http;
    private readonly Func<string> _token;

    /// <summary>Uses <paramref name="http"/> (its BaseAddress is the control plane) and a token read per request, so rotation applies at once.</summary>
    public ControlPlaneClient(HttpClient http, Func<string> token)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(token);
        _http = http;
        _token = token;
    }

    /// <summary>Registers (or re-registers) a node.</summary>
    public Task<NodeRegistrationAccepted> RegisterAsync(NodeRegistration registration, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Post, ControlPlaneRoutes.Nodes, registration, CdnJson.Default.NodeRegistration, CdnJson.Default.NodeRegistrationAccepted, cancellationToken);

    /// <summary>Sends a heartbeat; a 404 (<see cref="ControlPlaneException.IsNotFound"/>) means: register again.</summary>
    public Task<HeartbeatAccepted> HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return SendAsync(HttpMethod.Post, Path(ControlPlaneRoutes.Heartbeat, heartbeat.NodeId), heartbeat, CdnJson.Default.NodeHeartbeat, CdnJson.Default.HeartbeatAccepted, cancellationToken);
    }

    /// <summary>Every node with its state.</summary>
    public Task<IReadOnlyList<NodeStatus>> ListNodesAsync(CancellationToken cancellationToken = default)
        => GetAsync(ControlPlaneRoutes.Nodes, CdnJson.Default.IReadOnlyListNodeStatus, cancellationToken);

    /// <summary>One node.</summary>
    public Task<NodeStatus> GetNodeAsync(string nodeId, CancellationToken cancellationToken = default)
        => GetAsync(Path(ControlPlaneRoutes.NodeById, nodeId), CdnJson.Default.NodeStatus, cancellationToken);

    /// <summary>Stops routing new players to a node.</summary>
    public Task<NodeStatus> DrainAsync(string nodeId, CancellationToken cancellationToken = default)
        => SendAsync<object, NodeStatus>(HttpMethod.Post, Path(ControlPlaneRoutes.Drain, nodeId), null, null, CdnJson.Default.NodeStatus, cancellationToken);

    /// <summary>Routes new players to a node again.</summary>
    public Task<NodeStatus> UndrainAsync(string nodeId, CancellationToken cancellationToken = default)
        => SendAsync<object, NodeStatus>(HttpMethod.Post, Path(ControlPlaneRoutes.Undrain, nodeId), null, null, CdnJson.Default.NodeStatus, cancellationToken);

    /// <summary>Sites in force.</summary>
    public Task<IReadOnlyList<SiteInfo>> ListSitesAsync(CancellationToken cancellationToken = default)
        => GetAsync(ControlPlaneRoutes.Sites, CdnJson.Default.IReadOnlyListSiteInfo, cancellationToken);

    /// <summary>Creates or replaces a site.</summary>
    public Task<SiteInfo> PutSiteAsync(SiteInfo site, CancellationToken cancellationToken = default)
        => SendAsync(HttpMethod.Put, ControlPlaneRoutes.Sites, site, CdnJson.Default.SiteInfo, CdnJson.Default.SiteInfo, cancellationToken);

    /// <summary>The coverage zone file in force, as JSON text.</summary>
    public async Task<string> GetCoverageZonesAsync(CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, ControlPlaneRoutes.CoverageZones);
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Uploads a coverage zone file (Traffic Control CZF JSON); a bad one is rejected with every error.</summary>
    public Task<CoverageZoneSummary> PutCoverageZonesAsync(string json, CancellationToken cancellationToken = default)
        => SendCoverageZonesAsync(HttpMethod.Put, ControlPlaneRoutes.CoverageZones, json, cancellationToken);

    /// <summary>Checks a coverage zone file exactly as an upload would, without applying it.</summary>
    public Task<CoverageZoneSummary> ValidateCoverageZonesAsync(string json, CancellationToken cancellationToken = default)
        => SendCoverageZonesAsync(HttpMethod.Post, ControlPlaneRoutes.CoverageZonesValidate, json, cancellationToken);

    private async Task<CoverageZoneSummary> SendCoverageZonesAsync(HttpMethod method, string path, string json, CancellationToken cancellationToken)
    {
        using var request = Request(method, path);
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(CdnJson.Default.CoverageZoneSummary, cancellationToken)
            ?? throw new ControlPlaneException(response.StatusCode, "empty answer");
    }

    /// <summary>Which site and edges the GeoDNS would give a client address or subnet, and why.</summary>
    public Task<RouteDecision> ExplainRouteAsync(string client, CancellationToken cancellationToken = default)
        => GetAsync(ControlPlaneRoutes.Route + "?client=" + Uri.EscapeDataString(client), CdnJson.Default.RouteDecision, cancellationToken);

    private static string Path(string template, string id) => template.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal);

    private async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = Request(method, path);
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token());
        return request;
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, path);
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken) ?? throw new ControlPlaneException(response.StatusCode, "empty answer");
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? bodyType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = Request(method, path);
        if (body is not null && bodyType is not null)
        {
            request.Content = JsonContent.Create(body, bodyType);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken) ?? throw new ControlPlaneException(response.StatusCode, "empty answer");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = $"control plane answered {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                var title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
                var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
                message = $"{message}: {title}{(detail is null ? "" : $" ({detail})")}";
            }
        }
        catch (JsonException)
        {
            // Not a problem document; the status line says enough.
        }

        throw new ControlPlaneException(response.StatusCode, message);
    }
}
