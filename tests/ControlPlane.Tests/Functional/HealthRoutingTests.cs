using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Tests.Support;

namespace Cdn.ControlPlane.Tests.Functional;

/// <summary>
/// Health, drain and fallback reflected in real DNS answers. Heartbeat period 1 s, down after 4 missed;
/// a background loop keeps the healthy nodes heartbeating like real agents.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class HealthRoutingTests : IAsyncLifetime
{
    private const int MissedHeartbeats = 4;
    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _beating = [];
    private readonly SemaphoreSlim _round = new(1, 1); // held for each round of heartbeats
    private ControlPlaneHost _host = null!;
    private Task _loop = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartAsync(c => c["Health"]!["MissedHeartbeats"] = MissedHeartbeats);
        await AddAsync("edge-ams-1", "ams", NodeRole.Edge, "10.10.0.1");
        await AddAsync("edge-ams-2", "ams", NodeRole.Edge, "10.10.0.2");
        await AddAsync("edge-fra-1", "fra", NodeRole.Edge, "10.20.0.1");
        await AddAsync("shield-1", "fra", NodeRole.Shield, "10.90.0.1");
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await _round.WaitAsync();
                try
                {
                    foreach (var id in _beating)
                    {
                        await _host.HeartbeatAsync(id);
                    }
                }
                finally
                {
                    _round.Release();
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(300), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).Count == 2, TimeSpan.FromSeconds(5), "the ams edges answering");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _host.DisposeAsync();
        _round.Dispose();
    }

    private async Task AddAsync(string id, string site, NodeRole role, string address)
    {
        await _host.RegisterAsync(id, site, role, address);
        await _host.HeartbeatAsync(id);
        _beating.Add(id); // before the loop starts
    }

    /// <summary>Stops heartbeats for <paramref name="id"/>; none is in flight once this returns.</summary>
    private async Task SilenceAsync(string id)
    {
        await _round.WaitAsync();
        _beating.Remove(id);
        _round.Release();
    }

    private async Task<List<string>> AnswerAsync(string subnet)
        => (await DigTool.Dig().QueryAsync(_host.DnsPort, "video.cdn.test", "A", $"+subnet={subnet}")).Addresses;

    [Fact]
    public async Task An_unhealthy_report_removes_the_edge_from_answers_within_one_heartbeat_period()
    {
        await SilenceAsync("edge-ams-1");
        await _host.HeartbeatAsync("edge-ams-1", healthy: false);

        var took = await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).SequenceEqual(["10.10.0.2"]), HeartbeatPeriod, "edge-ams-1 leaving the answers");
        Assert.True(took < HeartbeatPeriod, $"took {took}");
    }

    [Fact]
    public async Task A_drain_removes_the_edge_at_once_and_an_undrain_brings_it_back()
    {
        await _host.Client.DrainAsync("edge-ams-2");
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).SequenceEqual(["10.10.0.1"]), HeartbeatPeriod, "edge-ams-2 leaving the answers after a drain");
        Assert.True((await _host.Client.GetNodeAsync("edge-ams-2")).Drained);
        Assert.Equal(NodeState.Up, (await _host.Client.GetNodeAsync("edge-ams-2")).State); // drained is not down

        await _host.Client.UndrainAsync("edge-ams-2");
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).Count == 2, HeartbeatPeriod, "edge-ams-2 back after undrain");
    }

    [Fact]
    public async Task An_edge_that_stops_heartbeating_leaves_the_answers_once_it_is_declared_down()
    {
        await SilenceAsync("edge-ams-1");

        // Down after the missed periods; then the answer must change within one more period.
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).SequenceEqual(["10.10.0.2"]), (HeartbeatPeriod * (MissedHeartbeats + 1)) + HeartbeatPeriod, "a silent edge leaving the answers");
        Assert.Equal(NodeState.Down, (await _host.Client.GetNodeAsync("edge-ams-1")).State);
    }

    [Fact]
    public async Task With_the_whole_site_down_the_fallback_site_then_the_shields_then_the_last_resort_answer()
    {
        await SilenceAsync("edge-ams-1");
        await SilenceAsync("edge-ams-2");
        await _host.HeartbeatAsync("edge-ams-1", healthy: false);
        await _host.HeartbeatAsync("edge-ams-2", healthy: false);
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).SequenceEqual(["10.20.0.1"]), HeartbeatPeriod, "ams falling back to fra");

        await SilenceAsync("edge-fra-1");
        await _host.HeartbeatAsync("edge-fra-1", healthy: false);
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).SequenceEqual(["10.90.0.1"]), HeartbeatPeriod, "falling back to the shields");

        await SilenceAsync("shield-1");
        await _host.Client.DrainAsync("shield-1");
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).SequenceEqual(["192.0.2.99"]), HeartbeatPeriod, "falling back to the last resort");

        var route = await _host.Client.ExplainRouteAsync("10.1.2.3");
        Assert.Equal("ams", route.Site);
        Assert.Contains(route.Reasons, r => r.Contains("last resort", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_saying_it_is_shutting_down_gets_no_new_players()
    {
        await SilenceAsync("edge-ams-1");
        await _host.HeartbeatAsync("edge-ams-1", draining: true);

        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).SequenceEqual(["10.10.0.2"]), HeartbeatPeriod, "a shutting-down edge leaving the answers");
    }

    [Fact]
    public async Task A_recovered_edge_returns_to_the_answers()
    {
        await SilenceAsync("edge-ams-1");
        await _host.HeartbeatAsync("edge-ams-1", healthy: false);
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).Count == 1, HeartbeatPeriod, "edge-ams-1 leaving");

        await _host.HeartbeatAsync("edge-ams-1");
        await Eventually.HoldsAsync(async () => (await AnswerAsync("10.1.0.0/16")).Count == 2, HeartbeatPeriod, "edge-ams-1 returning (UpAfter is 0 here; hysteresis is unit-tested)");
    }
}
