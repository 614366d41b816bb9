using System.Net;
using System.Net.Sockets;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.CoverageZones;
using Cdn.ControlPlane.Steering;

namespace Cdn.ControlPlane.Tests.Steering;

public sealed class SiteSelectorTests
{
    private static readonly SteeringSite[] Sites =
    [
        new("ams", ["fra", "lon"], []),
        new("fra", ["ams"], []),
        new("lon", [], ["uk", "ie"]),
        new("par", [], []),
    ];

    private static SteeringNode Node(string id, string site, string address, bool routable = true, NodeRole role = NodeRole.Edge)
        => new(id, role, site, [IPAddress.Parse(address)], routable, routable ? null : "down: missed heartbeats");

    private static SteeringInput Input(string[]? lastResort = null, string? defaultSite = null, params SteeringNode[] nodes)
        => new(Sites, nodes, CoverageZoneMap.Empty, defaultSite, [.. (lastResort ?? []).Select(IPAddress.Parse)], 4, 30);

    private static Selection Select(SteeringInput input, string? site, List<string>? reasons = null)
        => SiteSelector.Select(input, site, AddressFamily.InterNetwork, reasons);

    [Fact]
    public void The_clients_own_site_answers_when_it_has_a_routable_edge()
    {
        var selection = Select(Input(null, null, Node("a1", "ams", "10.0.0.1"), Node("f1", "fra", "10.0.1.1")), "ams");

        Assert.Equal((SelectionSource.Site, "ams"), (selection.Source, selection.Site));
        Assert.Equal(["10.0.0.1"], selection.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void With_no_routable_edge_the_next_site_in_the_fallback_order_answers()
    {
        var reasons = new List<string>();
        var selection = Select(Input(null, null, Node("a1", "ams", "10.0.0.1", routable: false), Node("l1", "lon", "10.0.2.1"), Node("f1", "fra", "10.0.1.1")), "ams", reasons);

        Assert.Equal("fra", selection.Site);
        Assert.Contains("a1 skipped: down: missed heartbeats", reasons);
    }

    [Fact]
    public void The_fallback_order_is_followed_past_a_site_that_is_empty_too()
        => Assert.Equal("lon", Select(Input(null, null, Node("f1", "fra", "10.0.1.1", routable: false), Node("l1", "lon", "10.0.2.1")), "ams").Site);

    [Fact]
    public void With_no_edge_in_the_whole_fallback_order_the_shields_answer()
    {
        var selection = Select(Input(null, null, Node("s1", "fra", "10.9.0.1", role: NodeRole.Shield), Node("p1", "par", "10.0.3.1")), "ams");

        Assert.Equal(SelectionSource.Shields, selection.Source);
        Assert.Equal(["10.9.0.1"], selection.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void With_no_shield_either_any_other_sites_edges_answer_rather_than_nothing()
    {
        var selection = Select(Input(["192.0.2.99"], null, Node("p1", "par", "10.0.3.1")), "ams");

        Assert.Equal((SelectionSource.OtherSite, "par"), (selection.Source, selection.Site));
    }

    [Fact]
    public void With_nothing_routable_the_last_resort_answers()
    {
        var selection = Select(Input(["192.0.2.99", "2001:db8::99"], null, Node("a1", "ams", "10.0.0.1", routable: false)), "ams");

        Assert.Equal(SelectionSource.LastResort, selection.Source);
        Assert.Equal(["192.0.2.99"], selection.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void With_nothing_at_all_the_selection_is_empty()
        => Assert.Equal(SelectionSource.None, Select(Input(), "ams").Source);

    [Fact]
    public void An_unlocated_client_uses_the_default_site_and_its_fallbacks()
        => Assert.Equal("ams", Select(Input(null, "fra", Node("a1", "ams", "10.0.0.1"), Node("p1", "par", "10.0.3.1")), null).Site);

    [Fact]
    public void An_unlocated_client_without_default_site_gets_the_first_site_with_edges_in_configured_order()
        => Assert.Equal("lon", Select(Input(null, null, Node("l1", "lon", "10.0.2.1"), Node("p1", "par", "10.0.3.1")), null).Site);

    [Fact]
    public void Only_addresses_of_the_asked_family_are_used()
    {
        var node = new SteeringNode("a1", NodeRole.Edge, "ams", [IPAddress.Parse("10.0.0.1")], true, null);
        var selection = SiteSelector.Select(Input(null, null, node, new SteeringNode("f1", NodeRole.Edge, "fra", [IPAddress.Parse("2001:db8::1")], true, null)), "ams", AddressFamily.InterNetworkV6);

        Assert.Equal("fra", selection.Site);
    }

    [Fact]
    public void A_coverage_zone_maps_to_the_site_listing_it_or_else_the_site_of_its_name()
    {
        var input = Input();

        Assert.Equal(2, SteeringViewBuilder.SlotOfZone(input, "uk"));
        Assert.Equal(1, SteeringViewBuilder.SlotOfZone(input, "fra"));
        Assert.Equal(Sites.Length, SteeringViewBuilder.SlotOfZone(input, "mars"));
    }

    [Fact]
    public void A_view_rotates_over_every_address_of_the_site_in_windows_of_max_answers()
    {
        var input = Input(null, null, [.. Enumerable.Range(1, 5).Select(i => Node($"a{i}", "ams", $"10.0.0.{i}"))]) with { MaxAnswers = 2 };

        var view = SteeringViewBuilder.Build(input, 1, new AnswerSourceLabels());

        var set = view.IPv4[0];
        Assert.Equal(5, set.Rotations.Length);
        Assert.Equal(2, set.RecordCount);
        Assert.All(set.Rotations, r => Assert.Equal(2 * 16, r.Length));
    }
}
