using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Health;

namespace Cdn.ControlPlane.Tests.Health;

public sealed class HealthPolicyTests
{
    private static readonly HealthOptions Options = new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(5),
        MissedHeartbeats = 3,
        UpAfter = TimeSpan.FromSeconds(30),
        UnhealthyReportsToDown = 1,
    };

    private readonly FakeTimeProvider _clock = new();
    private HealthHistory _history;

    public HealthPolicyTests() => _history = HealthPolicy.Registered(_clock.GetUtcNow());

    private NodeState Beat(bool healthy, int seconds = 5)
    {
        _clock.Advance(TimeSpan.FromSeconds(seconds));
        _history = HealthPolicy.OnHeartbeat(_history, healthy, _clock.GetUtcNow(), Options);
        return State();
    }

    private NodeState State() => HealthPolicy.Evaluate(_history, _clock.GetUtcNow(), Options).State;

    [Fact]
    public void A_new_node_is_pending_until_healthy_for_the_up_after_period()
    {
        Assert.Equal(NodeState.Pending, State());
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(NodeState.Pending, Beat(true));
        }

        Assert.Equal(NodeState.Up, Beat(true));
    }

    [Fact]
    public void One_unhealthy_report_takes_an_up_node_down()
    {
        for (var i = 0; i < 8; i++)
        {
            Beat(true);
        }

        Assert.Equal(NodeState.Down, Beat(false));
    }

    [Fact]
    public void Missed_heartbeats_take_a_node_down_without_any_report()
    {
        for (var i = 0; i < 8; i++)
        {
            Beat(true);
        }

        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(NodeState.Up, State());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(NodeState.Down, State());
    }

    [Fact]
    public void A_node_that_flaps_never_comes_back_up()
    {
        for (var i = 0; i < 8; i++)
        {
            Beat(true);
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.NotEqual(NodeState.Up, Beat(i % 3 != 0));
        }
    }

    [Fact]
    public void A_recovered_node_comes_back_only_after_the_full_healthy_period()
    {
        for (var i = 0; i < 8; i++)
        {
            Beat(true);
        }

        Beat(false);
        var states = Enumerable.Range(0, 7).Select(_ => Beat(true)).ToList();

        Assert.Equal([NodeState.Pending, NodeState.Pending, NodeState.Pending, NodeState.Pending, NodeState.Pending, NodeState.Pending, NodeState.Up], states);
    }

    [Fact]
    public void A_node_back_from_silence_proves_health_again()
    {
        for (var i = 0; i < 8; i++)
        {
            Beat(true);
        }

        Assert.Equal(NodeState.Pending, Beat(true, seconds: 60));
    }

    [Fact]
    public void Below_the_unhealthy_threshold_an_up_node_stays_up()
    {
        var lenient = new HealthOptions { HeartbeatInterval = Options.HeartbeatInterval, MissedHeartbeats = 3, UpAfter = TimeSpan.FromSeconds(10), UnhealthyReportsToDown = 2 };
        var history = HealthPolicy.Registered(_clock.GetUtcNow());
        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            history = HealthPolicy.OnHeartbeat(history, true, _clock.GetUtcNow(), lenient);
        }

        _clock.Advance(TimeSpan.FromSeconds(5));
        history = HealthPolicy.OnHeartbeat(history, false, _clock.GetUtcNow(), lenient);
        Assert.Equal(NodeState.Up, HealthPolicy.Evaluate(history, _clock.GetUtcNow(), lenient).State);

        _clock.Advance(TimeSpan.FromSeconds(5));
        history = HealthPolicy.OnHeartbeat(history, false, _clock.GetUtcNow(), lenient);
        Assert.Equal(NodeState.Down, HealthPolicy.Evaluate(history, _clock.GetUtcNow(), lenient).State);
    }

    [Fact]
    public void A_registered_node_that_never_heartbeats_goes_down()
    {
        _clock.Advance(TimeSpan.FromSeconds(16));

        Assert.Equal(NodeState.Down, State());
    }
}
