using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Health;
using Cdn.ControlPlane.Registry;
using Cdn.ControlPlane.Storage;
using Cdn.Data;
using Cdn.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdn.ControlPlane.Tests.Health;

/// <summary>The registry over a real embedded store, driven by a fake clock.</summary>
public sealed class NodeRegistryTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("cp-registry");
    private readonly FakeTimeProvider _clock = new();
    private StateDatabase _database = null!;
    private NodeRegistry _registry = null!;
    private int _routingChanges;

    public async Task InitializeAsync()
    {
        _database = new StateDatabase(new DatabaseOptions { EmbeddedPath = _dir.Combine("state.db") });
        var store = new SqlRegistryStore(_database);
        await store.InitializeAsync(CancellationToken.None);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Health:HeartbeatInterval"] = "00:00:05",
            ["Health:MissedHeartbeats"] = "3",
            ["Health:UpAfter"] = "00:00:20",
        }).Build();
        var options = new LiveOptions<HealthOptions>(configuration, "Health", NullLogger<LiveOptions<HealthOptions>>.Instance);
        _registry = new NodeRegistry(store, _clock, options, NullLogger<NodeRegistry>.Instance);
        _registry.RoutingChanged += () => Interlocked.Increment(ref _routingChanges);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dir.Dispose();
    }

    private async Task Beat(bool healthy = true)
        => await _registry.HeartbeatAsync("edge-1", new NodeHeartbeat("edge-1", _clock.GetUtcNow(), new NodeHealthReport(healthy, 1, 1, 1, 0, []), new NodeLoadReport(0, 0, 0), new CacheStatsReport(0, 0, 0, 0, 0, 0, 0)), CancellationToken.None);

    /// <summary>Registers edge-1 and sends <paramref name="beats"/> healthy heartbeats 5 s apart (up after 20 s).</summary>
    private async Task RegisterAndBeatAsync(int beats)
    {
        await _registry.RegisterAsync(new NodeRegistration("edge-1", NodeRole.Edge, "ams", ["10.0.0.1"], 10, null, "1"), CancellationToken.None);
        for (var i = 0; i < beats; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            await Beat();
        }
    }

    [Fact]
    public async Task Hysteresis_holds_through_the_registry_and_its_store()
    {
        await _registry.RegisterAsync(new NodeRegistration("edge-1", NodeRole.Edge, "ams", ["10.0.0.1"], 10, null, "1"), CancellationToken.None);
        var states = new List<NodeState>();
        for (var i = 0; i < 6; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            await Beat();
            states.Add(_registry.Verdict("edge-1").State);
        }

        Assert.Equal([NodeState.Pending, NodeState.Pending, NodeState.Pending, NodeState.Pending, NodeState.Up, NodeState.Up], states);

        _clock.Advance(TimeSpan.FromSeconds(5));
        await Beat(healthy: false);
        Assert.Equal(NodeState.Down, _registry.Verdict("edge-1").State);

        _clock.Advance(TimeSpan.FromSeconds(5));
        await Beat();
        Assert.Equal(NodeState.Pending, _registry.Verdict("edge-1").State);
    }

    [Fact]
    public async Task Silence_is_noticed_by_evaluation_alone()
    {
        await RegisterAndBeatAsync(6);

        _clock.Advance(TimeSpan.FromSeconds(16));
        _registry.Evaluate();

        Assert.Equal(NodeState.Down, _registry.Verdict("edge-1").State);
    }

    [Fact]
    public async Task Routine_heartbeats_of_an_up_node_do_not_rebuild_the_view()
    {
        await RegisterAndBeatAsync(6);

        var before = _routingChanges;
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            await Beat();
        }

        Assert.Equal(before, _routingChanges);
        await _registry.SetDrainedAsync("edge-1", true, CancellationToken.None);
        Assert.Equal(before + 1, _routingChanges);
    }

    [Fact]
    public async Task A_drain_is_persisted_and_survives_a_reload_from_the_store()
    {
        await _registry.RegisterAsync(new NodeRegistration("edge-1", NodeRole.Edge, "ams", ["10.0.0.1"], 10, null, "1"), CancellationToken.None);
        await _registry.SetDrainedAsync("edge-1", true, CancellationToken.None);

        var fresh = new NodeRegistry(new SqlRegistryStore(_database), _clock, new LiveOptions<HealthOptions>(new ConfigurationBuilder().Build(), "Health", NullLogger<LiveOptions<HealthOptions>>.Instance), NullLogger<NodeRegistry>.Instance);
        await fresh.RefreshAsync(CancellationToken.None);

        Assert.True(Assert.Single(fresh.Snapshot()).Node.Drained);
    }
}
