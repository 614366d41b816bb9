using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cdn.Contracts;
using Cdn.Contracts.Nodes;

namespace EdgeNode.Tests;

public sealed class ControlPlaneRegistrationTests
{
    private const string Token = "system-test-token-0123456789";

    [Fact]
    public async Task An_edge_registers_heartbeats_its_cache_and_says_goodbye_when_stopped()
    {
        using var dir = new TempDirectory("cp-edge");
        var apiPort = FreePort.Tcp();
        var dnsPort = FreePort.TcpAndUdp();
        var cpConfig = dir.Combine("controlplane.json");
        await File.WriteAllTextAsync(cpConfig, $$"""
        {
          "Api": { "Listen": { "Address": "127.0.0.1", "Port": {{apiPort}} } },
          "Auth": { "Tokens": [ "{{Token}}" ] },
          "Database": { "Provider": "Embedded", "EmbeddedPath": "{{dir.Combine("state.db")}}" },
          "Health": { "HeartbeatInterval": "00:00:01", "MissedHeartbeats": 3, "UpAfter": "00:00:01" },
          "Registry": { "DefaultSite": "local", "Sites": [ { "Name": "local", "Location": "test" } ] },
          "Dns": {
            "Listen": { "Address": "127.0.0.1", "Port": {{dnsPort}} },
            "Zones": [ { "Name": "cdn.test", "Hosts": [ "video" ], "NameServers": [ { "Name": "ns1", "Addresses": [ "127.0.0.53" ] } ], "Soa": { "Mailbox": "hostmaster", "Serial": 1 } } ]
          }
        }
        """);
        var edgeConfig = dir.Combine("edgenode.json");
        var adminPort = FreePort.Tcp();
        await File.WriteAllTextAsync(edgeConfig, $$"""
        {
          "Edge": {
            "NodeName": "edge-sys", "Site": "local",
            "Listeners": { "Http": { "Address": "127.0.0.1", "Port": {{FreePort.Tcp()}} }, "Admin": { "Address": "127.0.0.1", "Port": {{adminPort}} } },
            "Admin": { "Tokens": [ "{{Token}}" ] },
            "Cache": { "Volumes": [ { "Path": "{{dir.Combine("vol")}}", "CapacityBytes": 10485760 } ], "Index": { "Directory": "{{dir.Combine("idx")}}" } },
            "Upstreams": { "Origins": [ { "Url": "http://127.0.0.1:1" } ] },
            "ControlPlane": { "Url": "http://127.0.0.1:{{apiPort}}/", "Token": "{{Token}}", "Addresses": [ "127.0.0.1" ], "HeartbeatInterval": "00:00:01" }
          }
        }
        """);

        using var controlPlane = Daemons.Start(Daemons.Binary("ControlPlane", "controlplane"), cpConfig, dir.Combine("cp.log"));
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        try
        {
            using var edge = Daemons.Start(Daemons.Binary("EdgeNode", "edgenode"), edgeConfig, dir.Combine("edge.log"));
            NodeStatus? status = null;
            await Daemons.EventuallyAsync(async () =>
            {
                var nodes = await api.GetFromJsonAsync(ControlPlaneRoutes.Nodes, CdnJson.Default.IReadOnlyListNodeStatus);
                status = nodes?.SingleOrDefault(n => n.NodeId == "edge-sys");
                return status is { State: NodeState.Up, Cache: not null };
            }, TimeSpan.FromSeconds(60), "edge-sys to be Up with cache statistics");

            Assert.Equal("local", status!.Site);
            Assert.Equal(NodeRole.Edge, status.Role);
            Assert.Equal(["127.0.0.1"], status.Addresses);
            Assert.Equal(10485760, status.Cache!.BytesCapacity);
            Assert.True(status.Health!.Healthy);

            Assert.Equal(0, await Daemons.TerminateAsync(edge, TimeSpan.FromSeconds(30)));
            var after = (await api.GetFromJsonAsync(ControlPlaneRoutes.Nodes, CdnJson.Default.IReadOnlyListNodeStatus))!.Single(n => n.NodeId == "edge-sys");
            Assert.True(after.Drained, "a stopped edge is no longer offered to players");
            Assert.Contains("shutting down", after.Reason);
        }
        finally
        {
            controlPlane.Kill();
            await controlPlane.WaitForExitAsync();
        }
    }
}
