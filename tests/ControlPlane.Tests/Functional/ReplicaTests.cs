using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>Two control-plane replicas sharing one PostgreSQL database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaTests : IAsyncLifetime
{
    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromMilliseconds(250);
    private readonly PostgresFixture _postgres;
    private readonly TempDirectory _dirA = new("cp-a");
    private readonly TempDirectory _dirB = new("cp-b");
    private ControlPlaneHost _a = null!;
    private ControlPlaneHost _b = null!;

    public ReplicaTests(PostgresFixture postgres) => _postgres = postgres;

    public async Task InitializeAsync()
    {
        var connection = await _postgres.Server.CreateDatabaseAsync();
        void Shared(System.Text.Json.Nodes.JsonObject c)
        {
            c["Database"] = new System.Text.Json.Nodes.JsonObject { ["Provider"] = "PostgreSql", ["ConnectionString"] = connection };
            c["Health"]!["HeartbeatInterval"] = "00:00:10";
        }

        // Start both at once: schema creation must tolerate the race.
        var a = ControlPlaneHost.StartAsync(Shared, dir: _dirA);
        var b = ControlPlaneHost.StartAsync(Shared, dir: _dirB);
        _a = await a;
        _b = await b;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _dirA.Dispose();
        _dirB.Dispose();
    }

    private static async Task<List<string>> AnswerAsync(ControlPlaneHost host, string subnet)
        => (await DigTool.Dig().QueryAsync(host.DnsPort, "video.cdn.test", "A", $"+subnet={subnet}")).Addresses;

    [Fact]
    public async Task A_node_registered_on_one_replica_and_heartbeating_to_the_other_is_answered_by_both()
    {
        await _a.RegisterAsync("edge-ams-1", "ams", NodeRole.Edge, "10.10.0.1");
        await Eventually.HoldsAsync(async () => (await _b.Client.ListNodesAsync()).Count == 1, RefreshPeriod * 8, "replica B seeing the registration");

        var beat = await _b.HeartbeatAsync("edge-ams-1");

        Assert.Equal(NodeState.Up, beat.State);
        await Eventually.HoldsAsync(async () => (await AnswerAsync(_b, "10.1.0.0/16")).SequenceEqual(["10.10.0.1"]), RefreshPeriod * 4, "replica B answering");
        await Eventually.HoldsAsync(async () => (await AnswerAsync(_a, "10.1.0.0/16")).SequenceEqual(["10.10.0.1"]), RefreshPeriod * 4, "replica A answering the same");
    }

    [Fact]
    public async Task A_drain_on_one_replica_is_seen_by_the_other_within_the_refresh_period()
    {
        await _a.RegisterAsync("edge-ams-1", "ams", NodeRole.Edge, "10.10.0.1");
        await _a.RegisterAsync("edge-ams-2", "ams", NodeRole.Edge, "10.10.0.2");
        await _a.HeartbeatAsync("edge-ams-1");
        await _a.HeartbeatAsync("edge-ams-2");
        await Eventually.HoldsAsync(async () => (await AnswerAsync(_b, "10.1.0.0/16")).Count == 2, RefreshPeriod * 8, "replica B answering both edges");

        await _a.Client.DrainAsync("edge-ams-2");

        // One refresh period, plus one for the dig round trips of the polling itself.
        var took = await Eventually.HoldsAsync(async () => (await AnswerAsync(_b, "10.1.0.0/16")).SequenceEqual(["10.10.0.1"]), RefreshPeriod * 2, "replica B dropping the drained edge");
        Assert.True((await _b.Client.GetNodeAsync("edge-ams-2")).Drained, $"drain seen after {took}");
    }

    [Fact]
    public async Task Coverage_zones_put_on_one_replica_apply_on_the_other()
    {
        await _a.RegisterAsync("edge-fra-1", "fra", NodeRole.Edge, "10.20.0.1");
        await _a.HeartbeatAsync("edge-fra-1");

        await _a.Client.PutCoverageZonesAsync("""{ "coverageZones": { "fra": { "network": ["10.77.0.0/16"] } } }""");

        await Eventually.HoldsAsync(async () => (await DigTool.Dig().QueryAsync(_b.DnsPort, "video.cdn.test", "A", "+subnet=10.77.1.0/24")).ClientSubnet == "10.77.1.0/24/16", RefreshPeriod * 8, "replica B applying the new zones");
    }
}
