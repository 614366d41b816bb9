using System.Text.Json.Nodes;
using Cdn.Contracts.Nodes;
using Cdn.ControlPlane.Tests.Support;
using Cdn.NodeAgent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdn.ControlPlane.Tests.NodeAgent;

/// <summary>The node agent against the real control plane on loopback.</summary>
public sealed class NodeAgentTests
{
    private sealed class Reporter : INodeReporter
    {
        public volatile bool Healthy = true;

        public int Collected;

        public ValueTask<NodeReport> CollectAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Collected);
            return ValueTask.FromResult(new NodeReport(
                new NodeHealthReport(Healthy, 2, 2, 1L << 40, 0, Healthy ? [] : ["volume /cache1 failed"]),
                new NodeLoadReport(2.5, 100, 300),
                new CacheStatsReport(1000, 1L << 30, 1L << 40, 500, 450, 1L << 20, 1L << 17),
                [new ObjectPopularity("/title1/720p/seg_00001.m4s", "title1", 42, 42 << 20)]));
        }
    }

    private static IHost Agent(string url, Reporter reporter, string nodeId = "edge-ams-1", string site = "ams")
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ControlPlane:Url"] = url,
            ["ControlPlane:Token"] = ControlPlaneHost.Token,
            ["ControlPlane:NodeId"] = nodeId,
            ["ControlPlane:Role"] = "Edge",
            ["ControlPlane:Site"] = site,
            ["ControlPlane:Addresses:0"] = "10.10.0.1",
            ["ControlPlane:HeartbeatInterval"] = "00:00:00.200",
            ["ControlPlane:RetryMin"] = "00:00:00.050",
            ["ControlPlane:RetryMax"] = "00:00:00.200",
        });
        builder.Services.AddSingleton<INodeReporter>(reporter);
        builder.Services.AddNodeAgent(builder.Configuration);
        return builder.Build();
    }

    /// <summary>A control plane and a started agent whose node is up.</summary>
    private static async Task<(ControlPlaneHost Cp, IHost Agent)> StartUpAsync(Reporter reporter)
    {
        var cp = await ControlPlaneHost.StartAsync();
        var agent = Agent(cp.ApiBase.ToString(), reporter);
        await agent.StartAsync();
        await Eventually.HoldsAsync(async () => (await cp.Client.ListNodesAsync()).Any(n => n.State == NodeState.Up), TimeSpan.FromSeconds(10), "the node coming up");
        return (cp, agent);
    }

    [Fact]
    public async Task The_agent_registers_and_heartbeats_and_the_node_is_answered()
    {
        var (cp, agent) = await StartUpAsync(new Reporter());
        await using var _ = cp;
        using var __ = agent;

        var node = await cp.Client.GetNodeAsync("edge-ams-1");
        Assert.Equal((2.5, 450L), (node.Load!.GbpsOut, node.Cache!.Hits));
        await Eventually.HoldsAsync(async () => (await DigTool.Dig().QueryAsync(cp.DnsPort, "video.cdn.test", "A", "+subnet=10.1.0.0/16")).Addresses.SequenceEqual(["10.10.0.1"]), TimeSpan.FromSeconds(5), "the node in DNS answers");
        Assert.Equal(NodeState.Up, agent.Services.GetRequiredService<NodeAgentStatus>().State);
        await agent.StopAsync();
    }

    [Fact]
    public async Task An_unhealthy_report_takes_the_node_out_of_answers()
    {
        var reporter = new Reporter();
        var (cp, agent) = await StartUpAsync(reporter);
        await using var _ = cp;
        using var __ = agent;

        reporter.Healthy = false;

        await Eventually.HoldsAsync(async () => (await cp.Client.GetNodeAsync("edge-ams-1")).State == NodeState.Down, TimeSpan.FromSeconds(5), "the node going down");
        Assert.Contains("volume /cache1 failed", (await cp.Client.GetNodeAsync("edge-ams-1")).Health!.Problems);
        var answer = await DigTool.Dig().QueryAsync(cp.DnsPort, "video.cdn.test", "A", "+subnet=10.1.0.0/16");
        Assert.Equal(["192.0.2.99"], answer.Addresses); // nothing else is up: the last resort
        await agent.StopAsync();
    }

    [Fact]
    public async Task Stopping_the_agent_tells_the_control_plane_the_node_is_draining()
    {
        var (cp, agent) = await StartUpAsync(new Reporter());
        await using var _ = cp;
        using var __ = agent;

        await agent.StopAsync();

        var node = await cp.Client.GetNodeAsync("edge-ams-1");
        Assert.True(node.Drained);
        Assert.Contains("shutting down", node.Reason, StringComparison.Ordinal);
        var answer = await DigTool.Dig().QueryAsync(cp.DnsPort, "video.cdn.test", "A", "+subnet=10.1.0.0/16");
        Assert.DoesNotContain("10.10.0.1", answer.Addresses);
    }

    [Fact]
    public async Task Start_does_not_wait_for_an_unreachable_control_plane_and_the_agent_registers_once_it_appears()
    {
        var port = FreePort.Tcp();
        var reporter = new Reporter();
        using var agent = Agent($"http://127.0.0.1:{port}/", reporter);

        var start = agent.StartAsync();
        Assert.True(start.IsCompleted, "StartAsync must not block on the control plane");
        await start;
        var status = agent.Services.GetRequiredService<NodeAgentStatus>();
        await Eventually.HoldsAsync(() => Task.FromResult(status.ConsecutiveFailures >= 2), TimeSpan.FromSeconds(10), "the agent retrying");
        Assert.False(status.Registered);

        await using var cp = await ControlPlaneHost.StartAsync(c => c["Api"]!["Listen"]!["Port"] = port);

        await Eventually.HoldsAsync(async () => (await cp.Client.ListNodesAsync()).Any(n => n.NodeId == "edge-ams-1" && n.State == NodeState.Up), TimeSpan.FromSeconds(10), "the late registration");
        Assert.True(status.Registered);
        await agent.StopAsync();
    }

    [Fact]
    public async Task A_control_plane_that_forgot_the_node_gets_a_fresh_registration()
    {
        var port = FreePort.Tcp();
        using var agent = Agent($"http://127.0.0.1:{port}/", new Reporter());
        using (var dirA = new TempDirectory("cp-forget"))
        {
            await using var first = await ControlPlaneHost.StartAsync(c => c["Api"]!["Listen"]!["Port"] = port, dir: dirA);
            await agent.StartAsync();
            await Eventually.HoldsAsync(async () => (await first.Client.ListNodesAsync()).Count == 1, TimeSpan.FromSeconds(10), "the first registration");
        }

        // A new control plane with an empty store on the same address: heartbeats get 404, the agent registers again.
        await using var second = await ControlPlaneHost.StartAsync(c => c["Api"]!["Listen"]!["Port"] = port);

        await Eventually.HoldsAsync(async () => (await second.Client.ListNodesAsync()).Any(n => n.State == NodeState.Up), TimeSpan.FromSeconds(10), "the re-registration");
        await agent.StopAsync();
    }

    [Fact]
    public void Agent_settings_report_every_problem()
    {
        var options = new NodeAgentOptions { Url = "ftp://x", NodeId = "", Site = "", Addresses = ["nope"], RetryMin = TimeSpan.FromSeconds(10), RetryMax = TimeSpan.FromSeconds(1) };
        var errors = new Cdn.Hosting.Configuration.OptionsErrors();

        options.Validate("ControlPlane", errors);

        Assert.Contains(errors.Errors, e => e.StartsWith("ControlPlane:Url:", StringComparison.Ordinal));
        Assert.Contains(errors.Errors, e => e.Contains("Token or TokenFile", StringComparison.Ordinal));
        Assert.Contains(errors.Errors, e => e.StartsWith("ControlPlane:NodeId:", StringComparison.Ordinal));
        Assert.Contains(errors.Errors, e => e.StartsWith("ControlPlane:Addresses:0:", StringComparison.Ordinal));
        Assert.Contains(errors.Errors, e => e.StartsWith("ControlPlane:RetryMax:", StringComparison.Ordinal));
    }
}
