using System.Text.Json.Nodes;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>
/// One control plane with a stable fleet for the query-rule tests: heartbeats every 60 s so one heartbeat
/// keeps the nodes up for the whole class. ams: 3 edges (v4+v6), fra: 1 edge, big: 30 edges (v6), 1 shield.
/// </summary>
public sealed class DigFixture : IAsyncLifetime
{
    internal ControlPlaneHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await ControlPlaneHost.StartAsync(c => c["Health"]!["HeartbeatInterval"] = "00:01:00");
        for (var i = 1; i <= 3; i++)
        {
            await Host.RegisterAsync($"edge-ams-{i}", "ams", NodeRole.Edge, $"10.10.0.{i}", $"2001:db8:a::{i}");
            await Host.HeartbeatAsync($"edge-ams-{i}");
        }

        await Host.RegisterAsync("edge-fra-1", "fra", NodeRole.Edge, "10.20.0.1");
        await Host.HeartbeatAsync("edge-fra-1");
        for (var i = 1; i <= 30; i++)
        {
            await Host.RegisterAsync($"edge-big-{i:00}", "big", NodeRole.Edge, $"10.30.0.{i}", $"2001:db8:b::{i:x}");
            await Host.HeartbeatAsync($"edge-big-{i:00}");
        }

        await Host.RegisterAsync("shield-1", "fra", NodeRole.Shield, "10.90.0.1");
        await Host.HeartbeatAsync("shield-1");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Configuration mutator kept for documentation: the fixture's only change from the default.</summary>
    public static void Configure(JsonObject config) => config["Health"]!["HeartbeatInterval"] = "00:01:00";
}
