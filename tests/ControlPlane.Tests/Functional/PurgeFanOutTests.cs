using System.Text.Json.Nodes;
using Cdn.Contracts.Nodes;
using Cdn.Contracts.Purge;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>Purge fan-out to nodes' admin APIs: shields first, every node until it confirms, nodes that were down when they return.</summary>
public sealed class PurgeFanOutTests
{
    private const string NodeToken = "node-admin-token-0123456789";

    private static Task<ControlPlaneHost> StartAsync() => ControlPlaneHost.StartAsync(c =>
    {
        c["NodeAdmin"] = new JsonObject { ["Token"] = NodeToken, ["RequestTimeout"] = "00:00:02" };
        c["Purge"] = new JsonObject { ["RetryMin"] = "00:00:00.200", ["RetryMax"] = "00:00:01", ["PollInterval"] = "00:00:00.100", ["ShieldWait"] = "00:00:05" };
    });

    private static Task<NodeRegistrationAccepted> RegisterAsync(ControlPlaneHost cp, string id, NodeRole role, Uri admin)
        => cp.Client.RegisterAsync(new NodeRegistration(id, role, "ams", ["10.1.0.1"], 10, admin, "test"));

    [Fact]
    public async Task Shields_are_purged_before_edges_and_the_purge_completes_when_every_node_confirmed()
    {
        await using var cp = await StartAsync();
        await using var shield = await FakeNodeAdmin.StartAsync(FreePort.Tcp(), NodeToken);
        await using var edge1 = await FakeNodeAdmin.StartAsync(FreePort.Tcp(), NodeToken);
        await using var edge2 = await FakeNodeAdmin.StartAsync(FreePort.Tcp(), NodeToken);
        await RegisterAsync(cp, "shield-1", NodeRole.Shield, shield.Url);
        await RegisterAsync(cp, "edge-1", NodeRole.Edge, edge1.Url);
        await RegisterAsync(cp, "edge-2", NodeRole.Edge, edge2.Url);

        var started = await cp.Client.PurgeAsync(new PurgeRequest("https://video.cdn.test/t1/", PurgeKind.Prefix));

        Assert.False(started.Complete);
        Assert.Equal(3, started.Nodes.Count);
        PurgeStatus status = started;
        await Eventually.HoldsAsync(async () => (status = await cp.Client.GetPurgeAsync(started.PurgeId)).Complete, TimeSpan.FromSeconds(20), "the purge completing");
        Assert.All(status.Nodes, n => Assert.True(n.Done && n.ObjectsRemoved == 1 && n.LastError is null));
        var shieldAt = Assert.Single(shield.Calls).At;
        Assert.True(Assert.Single(edge1.Calls).At >= shieldAt && Assert.Single(edge2.Calls).At >= shieldAt, "edges go after the shield");
        Assert.Equal(started.PurgeId, (await cp.Client.ListPurgesAsync())[0].PurgeId);
    }

    [Fact]
    public async Task A_node_that_is_down_is_retried_and_purged_as_soon_as_it_registers_again()
    {
        await using var cp = await StartAsync();
        await using var edge1 = await FakeNodeAdmin.StartAsync(FreePort.Tcp(), NodeToken);
        var downPort = FreePort.Tcp();
        var downUrl = new Uri($"http://127.0.0.1:{downPort}/");
        await RegisterAsync(cp, "edge-1", NodeRole.Edge, edge1.Url);
        await RegisterAsync(cp, "edge-2", NodeRole.Edge, downUrl);

        var started = await cp.Client.PurgeAsync(new PurgeRequest("https://video.cdn.test/t1/seg_1.m4s", PurgeKind.Url));
        await Eventually.HoldsAsync(async () => (await cp.Client.GetPurgeAsync(started.PurgeId)).Nodes.Single(n => n.NodeId == "edge-2").Attempts >= 2,
            TimeSpan.FromSeconds(20), "edge-2 retried");
        var pending = await cp.Client.GetPurgeAsync(started.PurgeId);
        Assert.False(pending.Complete);
        Assert.True(pending.Nodes.Single(n => n.NodeId == "edge-1").Done);
        Assert.Contains("unreachable", pending.Nodes.Single(n => n.NodeId == "edge-2").LastError, StringComparison.Ordinal);

        await using var edge2 = await FakeNodeAdmin.StartAsync(downPort, NodeToken);
        await RegisterAsync(cp, "edge-2", NodeRole.Edge, downUrl);

        await Eventually.HoldsAsync(async () => (await cp.Client.GetPurgeAsync(started.PurgeId)).Complete, TimeSpan.FromSeconds(10), "the purge completing on the returned node");
        Assert.Single(edge2.Calls);
    }

    [Fact]
    public async Task A_node_that_rejects_the_token_says_which_setting_to_fix()
    {
        await using var cp = await StartAsync();
        await using var edge = await FakeNodeAdmin.StartAsync(FreePort.Tcp(), "another-token-0123456789");
        await RegisterAsync(cp, "edge-1", NodeRole.Edge, edge.Url);

        var started = await cp.Client.PurgeAsync(new PurgeRequest("video.cdn.test/t1/seg_1.m4s", PurgeKind.Url));

        await Eventually.HoldsAsync(async () => (await cp.Client.GetPurgeAsync(started.PurgeId)).Nodes[0].LastError is { } e && e.Contains("Admin:Tokens", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the token error");
    }
}
