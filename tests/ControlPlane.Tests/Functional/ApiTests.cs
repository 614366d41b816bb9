using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cdn.Contracts;
using Cdn.Contracts.Fill;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Routing;
using Cdn.ControlPlane.Tests.Support;
using Cdn.NodeAgent;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>The HTTP API: auth, OpenAPI, problem responses, sites, routes.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync(c => c["Health"]!["HeartbeatInterval"] = "00:01:00");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Anonymous() => new() { BaseAddress = _host.ApiBase };

    [Theory]
    [InlineData("GET", ControlPlaneRoutes.Nodes)]
    [InlineData("POST", ControlPlaneRoutes.Nodes)]
    [InlineData("GET", ControlPlaneRoutes.Nodes + "/edge-1")]
    [InlineData("POST", "/api/v1/nodes/edge-1/heartbeat")]
    [InlineData("POST", "/api/v1/nodes/edge-1/drain")]
    [InlineData("POST", "/api/v1/nodes/edge-1/undrain")]
    [InlineData("GET", ControlPlaneRoutes.Sites)]
    [InlineData("PUT", ControlPlaneRoutes.Sites)]
    [InlineData("GET", ControlPlaneRoutes.CoverageZones)]
    [InlineData("PUT", ControlPlaneRoutes.CoverageZones)]
    [InlineData("GET", ControlPlaneRoutes.Route + "?client=10.1.2.3")]
    [InlineData("GET", ControlPlaneRoutes.OpenApi)]
    [InlineData("GET", "/metrics")]
    public async Task Every_route_but_the_probes_needs_a_bearer_token(string method, string path)
    {
        using var http = Anonymous();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probes_answer_without_a_token()
    {
        using var http = Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("state: healthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_and_the_bearer_scheme()
    {
        using var document = JsonDocument.Parse(await _host.Http.GetStringAsync(ControlPlaneRoutes.OpenApi));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var path in (string[])[ControlPlaneRoutes.Nodes, ControlPlaneRoutes.NodeById, ControlPlaneRoutes.Heartbeat, ControlPlaneRoutes.Drain, ControlPlaneRoutes.Undrain, ControlPlaneRoutes.Sites, ControlPlaneRoutes.CoverageZones, ControlPlaneRoutes.Route])
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from the OpenAPI document");
        }

        Assert.Equal("bearer", document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.True(document.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("NodeRegistration", out _));
    }

    [Fact]
    public async Task A_registration_with_bad_fields_is_a_400_listing_each_problem()
    {
        var response = await _host.Http.PostAsJsonAsync(ControlPlaneRoutes.Nodes,
            new NodeRegistration("bad id!", NodeRole.Edge, "mars", ["10.0.0.300", "0.0.0.0"], -1, null, "1"), CdnJson.Default.NodeRegistration);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        foreach (var expected in (string[])["nodeId:", "'mars' is not a configured site", "'10.0.0.300' is not an IP address", "'0.0.0.0' is not a reachable address", "capacityGbps"])
        {
            Assert.Contains(expected, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_saying_so()
    {
        var response = await _host.Http.PostAsync(ControlPlaneRoutes.Nodes, new StringContent("{ nope", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid NodeRegistration", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_heartbeat_from_an_unknown_node_is_a_404_the_client_reports_as_not_found()
    {
        var error = await Assert.ThrowsAsync<ControlPlaneException>(() => _host.HeartbeatAsync("ghost"));

        Assert.True(error.IsNotFound);
        Assert.Contains("no node 'ghost' is registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_heartbeat_whose_body_names_another_node_is_a_400()
    {
        await _host.RegisterAsync("edge-a", "ams", NodeRole.Edge, "10.10.0.1");

        var response = await _host.Http.PostAsJsonAsync("/api/v1/nodes/edge-a/heartbeat", ControlPlaneHost.Heartbeat("edge-b"), CdnJson.Default.NodeHeartbeat);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Draining_an_unknown_node_is_a_404()
        => Assert.Equal(HttpStatusCode.NotFound, (await _host.Http.PostAsync("/api/v1/nodes/ghost/drain", null)).StatusCode);

    [Fact]
    public async Task Registered_nodes_are_listed_with_state_drain_and_last_report()
    {
        await _host.RegisterAsync("edge-a", "ams", NodeRole.Edge, "10.10.0.1");
        await _host.HeartbeatAsync("edge-a");
        await _host.Client.DrainAsync("edge-a");

        var node = Assert.Single(await _host.Client.ListNodesAsync());

        Assert.Equal(("edge-a", NodeState.Up, true, "drained by operator"), (node.NodeId, node.State, node.Drained, node.Reason));
        Assert.Equal(0.8, node.Cache!.HitRatio);
    }

    [Fact]
    public async Task A_site_put_through_the_api_is_listed_and_routes_its_coverage_zones()
    {
        var site = new SiteInfo("lon", "London", new FillWindow(new TimeOnly(1, 0), new TimeOnly(6, 0), "Europe/London"), 5_000_000, ["ams"], ["big"]);

        var stored = await _host.Client.PutSiteAsync(site);
        await _host.RegisterAsync("edge-lon", "lon", NodeRole.Edge, "10.50.0.1");
        await _host.HeartbeatAsync("edge-lon");

        Assert.Equal("London", stored.Location);
        Assert.Contains(await _host.Client.ListSitesAsync(), s => s.Name == "lon" && s.Fallbacks.SequenceEqual(["ams"]));
        var route = await _host.Client.ExplainRouteAsync("10.3.4.5");
        Assert.Equal(("big", "lon", "10.3.0.0/16"), (route.CoverageZone, route.Site, route.MatchedPrefix));
        Assert.Equal(["10.50.0.1"], route.Addresses);
    }

    [Fact]
    public async Task A_site_with_unknown_fallbacks_or_time_zone_is_a_400()
    {
        var site = new SiteInfo("lon", "London", new FillWindow(new TimeOnly(1, 0), new TimeOnly(6, 0), "Mars/Olympus"), 0, ["nowhere"]);

        var error = await Assert.ThrowsAsync<ControlPlaneException>(() => _host.Client.PutSiteAsync(site));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Contains("'nowhere' is not a known site", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Mars/Olympus' is not a known time zone", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?client=banana")]
    [InlineData("?client=10.0.0.1/40")]
    public async Task A_route_question_without_a_valid_client_is_a_400(string query)
        => Assert.Equal(HttpStatusCode.BadRequest, (await _host.Http.GetAsync(ControlPlaneRoutes.Route + query)).StatusCode);

    [Fact]
    public async Task A_route_explanation_says_which_zone_site_and_fallbacks_decided()
    {
        await _host.RegisterAsync("edge-fra", "fra", NodeRole.Edge, "10.20.0.1");
        await _host.HeartbeatAsync("edge-fra");

        var route = await _host.Client.ExplainRouteAsync("10.1.9.9/24");

        Assert.Equal(("ams", "ams", "10.1.0.0/16"), (route.CoverageZone, route.Site, route.MatchedPrefix));
        Assert.Equal(["10.20.0.1"], route.Addresses);
        Assert.Contains("site ams: no routable IPv4 edge", route.Reasons);
    }
}
